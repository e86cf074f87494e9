"""`Idempotency-Key` for every POST of the API: one mechanism, a middleware in front of all create endpoints.

The first request with a key stores (user, key, fingerprint of method + path + body) before it runs and
its response afterwards. A repeat with the same body gets the stored response (same status and body)
without running anything; another body with the same key is 422; a repeat while the first is still
running is 409. Responses the client could not have caused by the body (401, 403, 429, 5xx) are not kept,
so the key can be retried once the cause is gone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEPT_HEADERS = ("Content-Type", "Location", "ETag")
_NOT_KEPT_STATUSES = {401, 403, 429}


def _user_of(request: HttpRequest) -> object | None:
    """The API user, from the token header (as DRF will authenticate it) or from the session."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Token "):
        token = Token.objects.select_related("user").filter(key=header[6:].strip()[:40]).first()
        return token.user if token and token.user.is_active else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def request_fingerprint(method: str, path: str, content_type: str, body: bytes) -> str:
    """What makes two requests "the same" for an Idempotency-Key: method, path, content type and body."""
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), content_type.encode(), body])).hexdigest()


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


class IdempotencyMiddleware:
    """Applies to POST requests under settings.IDEMPOTENCY_PATH_PREFIX that carry an Idempotency-Key."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = getattr(settings, "IDEMPOTENCY_PATH_PREFIX", "/api/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith(self.prefix):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > 255 or "\x00" in key:
            return _error(400, f"{HEADER} must be 1 to 255 characters.")
        user = _user_of(request)
        if user is None:
            return self.get_response(request)  # the view answers 401 (nothing to remember)
        try:
            body = request.body
        except RawPostDataException:  # pragma: no cover - the body was consumed before us
            return _error(400, f"{HEADER} cannot be used with this request.")
        except Exception:  # RequestDataTooBig
            return _error(400, f"{HEADER} is accepted for bodies up to {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
        fingerprint = request_fingerprint(request.method, request.path, request.content_type, body)

        record, created = self._claim(user, key, request, fingerprint)
        if not created:
            return self._replay(record, fingerprint)
        try:
            response = self.get_response(request)
        except Exception:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
            raise
        self._remember(record, response)
        return response

    def _claim(self, user: object, key: str, request: HttpRequest, fingerprint: str) -> tuple[IdempotencyKey, bool]:
        """Insert the key (committed at once) or return the row a previous request holds."""
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=user, key=key, method=request.method, path=request.path[:500], request_hash=fingerprint
                )
            return record, True
        except IntegrityError:
            return IdempotencyKey.objects.get(user=user, key=key), False

    def _replay(self, record: IdempotencyKey, fingerprint: str) -> HttpResponse:
        if record.request_hash != fingerprint:
            return _error(422, f"This {HEADER} was already used with a different request; use a new key.")
        if record.completed_at is None:
            stale = timezone.now() - record.created_at > timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
            if stale:  # the first request died without an answer: let this one start afresh
                IdempotencyKey.objects.filter(pk=record.pk, completed_at__isnull=True).delete()
            return _error(409, f"A request with this {HEADER} is still being processed; retry in a moment.")
        response = HttpResponse(bytes(record.response_body or b""), status=record.status_code)
        for name, value in record.response_headers.items():
            response[name] = value
        response[REPLAYED_HEADER] = "true"
        return response

    def _remember(self, record: IdempotencyKey, response: HttpResponse) -> None:
        if response.status_code >= 500 or response.status_code in _NOT_KEPT_STATUSES or response.streaming:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
            return
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
        IdempotencyKey.objects.filter(pk=record.pk).update(
            status_code=response.status_code,
            response_body=bytes(response.content),
            response_headers=json.loads(json.dumps(headers)),
            completed_at=timezone.now(),
        )
