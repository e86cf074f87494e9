"""What every endpoint of the integration API shares: permissions, errors, paging, filtering, ETags, throttling.

`compliance.api` builds on this module too (compliance may import powcases; never the other way round).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import django_filters
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, models
from django.http import Http404
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from ..services import StaleVersion, TransitionNotAllowed

logger = logging.getLogger(__name__)

# Ids in URLs are database keys; anything else is answered 404 by the URL resolver, never a database error.
ID_PATTERN = r"[0-9]{1,18}"


# --- Errors ---------------------------------------------------------------------------------------------


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it: fetch it again and retry with the new ETag."
    default_code = "precondition_failed"


def _django_error_dict(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as `{"<field>": ["message"]}`; errors without a field go under `non_field_errors`."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for m in DjangoValidationError(errors).messages] for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler plus the errors the services raise, so a client never sees a 500 for what it sent.

    TransitionNotAllowed -> 409 naming the allowed targets; StaleVersion -> 412; Django ValidationError
    -> 400 naming the field; IntegrityError (a concurrent duplicate) -> 409.
    """
    if isinstance(exc, TransitionNotAllowed):
        set_rollback()
        data = _django_error_dict(exc)
        data["allowed"] = list(exc.allowed)
        return Response(data, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StaleVersion):
        set_rollback()
        return Response(
            {"detail": f"{exc.messages[0]} Fetch the record again and retry with its ETag.", "version": exc.actual},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        return Response(_django_error_dict(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        logger.info("API request refused on a database constraint: %s", exc)
        set_rollback()
        return Response(
            {"detail": "A record with these values already exists or was created at the same time; fetch and retry."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DataError):
        # A value the database cannot hold (out of range, NUL byte) that slipped past field validation.
        logger.warning("API input the database refused (validate it in the serializer): %s", exc)
        set_rollback()
        return Response({"non_field_errors": ["A value is out of the range the record can hold."]}, status=400)
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404(str(exc))
    return drf_exception_handler(exc, context)


# --- Permissions ----------------------------------------------------------------------------------------


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reading included: GET needs `view_<model>`.

    A view may demand more with `extra_permissions` (e.g. medical details need `view_medical_details`), and
    name the permissions of its extra actions in `action_permissions` ({"transition": [...]}).
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: Any) -> bool:
        action_perms: dict[str, Sequence[str]] = getattr(view, "action_permissions", {})
        action = getattr(view, "action", None)
        if action in action_perms:
            # An action such as POST /exchanges/{id}/transition/ changes a record: it needs its own permission.
            if not (request.user and request.user.is_authenticated):
                return False
            if not request.user.has_perms(action_perms[action]):
                return False
        elif not super().has_permission(request, view):
            return False
        extra: Sequence[str] = getattr(view, "extra_permissions", ())
        return request.user.has_perms(extra)


# --- Paging and filtering -------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, 50 per page unless `page_size` (at most 500) says otherwise."""

    page_size_query_param = "page_size"
    max_page_size = 500


class FilterBackend(DjangoFilterBackend):
    """django-filter, refusing NUL characters in any query parameter (PostgreSQL cannot take them) with a 400."""

    def filter_queryset(self, request: Request, queryset: models.QuerySet, view: Any) -> models.QuerySet:
        for name, value in request.query_params.items():
            if "\x00" in name or "\x00" in value:
                raise exceptions.ValidationError({name.replace("\x00", ""): ["Query parameters cannot contain NUL."]})
        return super().filter_queryset(request, queryset, view)


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC so that any offset Python accepts is one PostgreSQL accepts."""

    def clean(self, value: Any) -> dt.datetime | None:
        cleaned = super().clean(value)
        if cleaned is None:
            return None
        try:
            return cleaned.astimezone(dt.UTC) if cleaned.tzinfo else cleaned
        except OverflowError:
            raise DjangoValidationError("Date-time out of range.", code="overflow") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter whose value always reaches the database in UTC."""

    field_class = UTCIsoDateTimeField


class RecordFilterSet(django_filters.FilterSet):
    """Every list filters on `updated_since` (ISO 8601 date-time) for incremental sync."""

    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed at or after this ISO 8601 date-time."
    )


# --- ETags ----------------------------------------------------------------------------------------------


def parse_if_match(header: str | None) -> list[str] | None:
    """The entity tags of an If-Match header without quotes or W/ prefix; None when absent, ['*'] for any."""
    if header is None:
        return None
    tags = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        tags.append(part.strip('"'))
    return [t for t in tags if t]


class ETagMixin:
    """Detail responses carry an `ETag`; PATCH/PUT honour `If-Match` (412 when it no longer matches).

    The default tag changes with `updated_at`; a view may tag by something stricter (exchanges: `version`).
    """

    def etag_for(self, instance: models.Model) -> str:
        stamp = getattr(instance, "updated_at", None)
        return f"{instance.pk}-{stamp.timestamp():.6f}" if stamp else str(instance.pk)

    def check_if_match(self, request: Request, instance: models.Model) -> None:
        tags = parse_if_match(request.headers.get("If-Match"))
        if tags is None or "*" in tags:
            return
        if self.etag_for(instance) not in tags:
            raise PreconditionFailed()

    def set_etag(self, response: Response, instance: models.Model) -> Response:
        response["ETag"] = f'"{self.etag_for(instance)}"'
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        return self.set_etag(response, instance)


class ETagWriteMixin(ETagMixin):
    """ETagMixin for endpoints that create and update: responses carry the ETag, If-Match is honoured."""

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        self.check_if_match(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        instance = self.get_object()  # fresh, with the annotations and prefetches of the list
        return self.set_etag(Response(self.get_serializer(instance).data), instance)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        instance = self.get_queryset().get(pk=serializer.instance.pk)
        response = Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)
        return self.set_etag(response, instance)


def user_of(request: Request) -> Any:
    """The acting user for the services (None when anonymous, which permissions never let through)."""
    return request.user if request.user and request.user.is_authenticated else None


__all__ = [
    "ID_PATTERN",
    "DateTimeFilter",
    "ETagMixin",
    "ETagWriteMixin",
    "FilterBackend",
    "ModelPermissions",
    "Pagination",
    "PreconditionFailed",
    "RecordFilterSet",
    "exception_handler",
    "parse_if_match",
    "user_of",
]
