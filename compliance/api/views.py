"""Endpoints of the compliance API: findings (read-only), the rule catalogue and compliance runs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from powcases.api.base import ID_PATTERN, ETagMixin, ModelPermissions, Pagination, user_of

from ..models import ComplianceRun, Finding
from . import filters, serializers


class FindingViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Findings of the compliance rules; filter by detainee, rule, outcome, severity, state, updated_since."""

    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter
    permission_classes = [ModelPermissions]
    queryset = Finding.objects.all()
    lookup_value_regex = ID_PATTERN


class RuleViewSet(viewsets.ViewSet):
    """The rule catalogue: every registered rule with its article and severity (any authenticated user)."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.RuleSerializer
    lookup_field = "id"
    lookup_value_regex = r"[A-Za-z0-9_.-]{1,40}"
    pagination_class = Pagination

    @staticmethod
    def _registry() -> Any:
        from ..registry import registry

        return registry

    @extend_schema(responses=serializers.RuleSerializer(many=True))
    def list(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(self._registry().all(), request, view=self)
        return paginator.get_paginated_response(serializers.RuleSerializer(page, many=True).data)

    @extend_schema(
        responses=serializers.RuleSerializer,
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="Rule id, e.g. GC3-17-LANG.")],
    )
    def retrieve(self, request: Request, id: str | None = None) -> Response:
        registry = self._registry()
        rule = next((r for r in registry.all() if r.id == (id or "").upper()), None)
        if rule is None:
            raise NotFound(f"No compliance rule with id {id!r}.")
        return Response(serializers.RuleSerializer(rule).data)


class ComplianceRunViewSet(
    ETagMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Compliance sweeps: POST starts a full sweep (202 with its id); GET shows its progress."""

    serializer_class = serializers.ComplianceRunSerializer
    filterset_class = filters.ComplianceRunFilter
    permission_classes = [ModelPermissions]
    queryset = ComplianceRun.objects.all()
    lookup_value_regex = ID_PATTERN

    def etag_for(self, instance: ComplianceRun) -> str:
        # A run has no updated_at: its progress is its version.
        return f"{instance.pk}-{instance.status}-{instance.processed}-{instance.chunks_done}"

    @extend_schema(request=None, responses={202: serializers.ComplianceRunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from ..services import compliance_run_start

        run = compliance_run_start(actor=user_of(request), kind="full")
        run.refresh_from_db()
        response = Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{run.pk}/")
        return response
