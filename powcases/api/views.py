"""Endpoints of the case record API. Reads use querysets shaped for the serializers (no N+1); writes call services."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from .. import services
from ..models import (
    CaptureCard,
    Detainee,
    ExchangeProposal,
    ExchangeTransition,
    Interpreter,
    Interrogation,
    MediaItem,
    MedicalAssessment,
    RepatriationWish,
)
from ..views import media_download
from . import filters, serializers
from .base import ID_PATTERN, ETagWriteMixin, ModelPermissions, PreconditionFailed, parse_if_match, user_of


class RecordViewSet(ETagWriteMixin, viewsets.ModelViewSet):
    """List, create, read and update one kind of record; deleting is left to the admin (history, care)."""

    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lookup_value_regex = ID_PATTERN

    def perform_create(self, serializer: Any) -> None:
        serializer.save()

    def perform_update(self, serializer: Any) -> None:
        serializer.save()


def latest_wish() -> Subquery:
    """The detainee's latest recorded repatriation wish, as a subquery (one query for the whole list)."""
    latest = RepatriationWish.objects.filter(detainee=OuterRef("pk")).order_by("-recorded_at", "-id")
    return Subquery(latest.values("wish")[:1])


class DetaineeViewSet(RecordViewSet):
    """Detainees: identity, capture, languages and latest repatriation wish."""

    serializer_class = serializers.DetaineeSerializer
    filterset_class = filters.DetaineeFilter
    queryset = (
        Detainee.objects.select_related("capture")
        .prefetch_related("languages")
        .annotate(latest_repatriation_wish=latest_wish())
    )


class InterpreterViewSet(RecordViewSet):
    """Interpreters and the languages they work in."""

    serializer_class = serializers.InterpreterSerializer
    filterset_class = filters.InterpreterFilter
    queryset = Interpreter.objects.prefetch_related("languages")


class InterrogationViewSet(RecordViewSet):
    """Questioning sessions (GCIII Art. 17)."""

    serializer_class = serializers.InterrogationSerializer
    filterset_class = filters.InterrogationFilter
    queryset = Interrogation.objects.prefetch_related(Prefetch("interpreters", Interpreter.objects.only("id")))


class MedicalAssessmentViewSet(RecordViewSet):
    """Medical assessments: only for users who may see medical details."""

    serializer_class = serializers.MedicalAssessmentSerializer
    filterset_class = filters.MedicalAssessmentFilter
    queryset = MedicalAssessment.objects.all()
    extra_permissions = ("powcases.view_medical_details",)


class MediaItemViewSet(RecordViewSet):
    """Photographs and recordings of detainees (multipart for the file, which is served only to authorised users)."""

    serializer_class = serializers.MediaItemSerializer
    filterset_class = filters.MediaItemFilter
    queryset = MediaItem.objects.prefetch_related(Prefetch("depicted", Detainee.objects.only("id")))
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Download the media file",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
    )
    @action(detail=True, methods=["get"], url_path="file", url_name="file", filter_backends=[], pagination_class=None)
    def file(self, request: Request, pk: str | None = None) -> FileResponse:
        """The file itself, for a user allowed to view media (the same check as the case record's download view)."""
        self.get_object()  # 404 for an unknown id before anything else
        return media_download.__wrapped__(request._request, int(pk))


class CaptureCardViewSet(RecordViewSet):
    """Capture cards (GCIII Art. 70)."""

    serializer_class = serializers.CaptureCardSerializer
    filterset_class = filters.CaptureCardFilter
    queryset = CaptureCard.objects.all()


class RepatriationWishViewSet(RecordViewSet):
    """Recorded wishes about repatriation (GCIII Art. 109(3), Art. 118)."""

    serializer_class = serializers.RepatriationWishSerializer
    filterset_class = filters.RepatriationWishFilter
    queryset = RepatriationWish.objects.prefetch_related(Prefetch("interpreters", Interpreter.objects.only("id")))


class ExchangeViewSet(RecordViewSet):
    """Exchange proposals. The ETag is the proposal's version; PATCH and transition honour If-Match."""

    serializer_class = serializers.ExchangeSerializer
    filterset_class = filters.ExchangeFilter
    queryset = ExchangeProposal.objects.prefetch_related(
        "outgoing_members",
        "incoming",
        Prefetch("transitions", ExchangeTransition.objects.select_related("actor")),
    )
    action_permissions = {"transition": ("powcases.change_exchangeproposal",)}

    def etag_for(self, instance: models.Model) -> str:
        return f"{instance.pk}-v{instance.version}"

    def expected_version(self, request: Request, instance: ExchangeProposal) -> int | None:
        """The version named by If-Match (None when absent or '*'); 412 when it names another record."""
        tags = parse_if_match(request.headers.get("If-Match"))
        if tags is None or "*" in tags:
            return None
        for tag in tags:
            match = re.fullmatch(rf"{instance.pk}-v([0-9]{{1,9}})", tag)
            if match:
                return int(match.group(1))
        raise PreconditionFailed()

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        expected = self.expected_version(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save(expected_version=expected)  # the service compares under a row lock: 412 when stale
        instance = self.get_object()
        return self.set_etag(Response(self.get_serializer(instance).data), instance)

    @extend_schema(
        summary="Move the exchange to another status",
        request=serializers.ExchangeTransitionRequestSerializer,
        responses={200: serializers.ExchangeSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """Move along the declared state machine; 409 names the allowed targets, 412 when If-Match is stale."""
        proposal = self.get_object()
        body = serializers.ExchangeTransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.exchange_transition(
            actor=user_of(request),
            proposal=proposal,
            to=body.validated_data["to"],
            expected_version=self.expected_version(request, proposal),
            comment=body.validated_data.get("comment", ""),
        )
        proposal = self.get_object()
        return self.set_etag(Response(self.get_serializer(proposal).data, status=status.HTTP_200_OK), proposal)
