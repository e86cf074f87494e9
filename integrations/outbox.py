"""The webhook outbox: write deliveries with the change, send them after commit, retry with backoff.

`publish` is called inside the transaction of the change (from signal receivers); it writes one
`WebhookDelivery` per active subscription to the event and asks, on commit, for each to be sent. If the
broker or the receiver is down, the row stays pending and `deliveries_replay` (Celery beat) sends it later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import DeliveryAttempt, DeliveryStatus, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)


def sign(body: bytes, secret: str) -> str:
    """The X-Signature header value: `sha256=<hex HMAC-SHA256 of the body with the subscription's secret>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def subscriptions_for(event: str) -> list[WebhookSubscription]:
    """Active subscriptions to an event (JSON list membership checked in Python: portable, few rows)."""
    return [s for s in WebhookSubscription.objects.filter(active=True) if event in (s.events or [])]


def publish(event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Write an outbox row per subscriber; call INSIDE the transaction of the change it announces."""
    return publish_many(event, [data])


def publish_many(event: str, items: list[dict[str, Any]]) -> list[WebhookDelivery]:
    """Write one outbox row per item and subscriber with a fixed number of queries, whatever the batch size.

    Call INSIDE the transaction of the change; the rows are queued for sending when it commits.
    """
    subscriptions = subscriptions_for(event) if items else []
    if not subscriptions:
        return []
    now = timezone.now()
    pairs = [(subscription, data) for data in items for subscription in subscriptions]
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(subscription=subscription, event=event, payload={}, body="", next_attempt_at=now)
            for subscription, _ in pairs
        ]
    )
    for delivery, (_, data) in zip(deliveries, pairs, strict=True):
        # The body names its own delivery id, so the id must exist first (bulk_create returns it).
        payload = {"id": delivery.pk, "event": event, "created_at": now.isoformat(), "data": data}
        delivery.payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
        delivery.body = json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True)
    WebhookDelivery.objects.bulk_update(deliveries, ["payload", "body"])
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def _enqueue(delivery_ids: Iterable[int]) -> None:
    """Hand deliveries to Celery; if the broker is down they stay pending for the replay task."""
    from .tasks import delivery_send

    for delivery_id in delivery_ids:
        try:
            delivery_send.delay(delivery_id)
        except Exception:  # the broker is unreachable: the outbox row is the safety net
            logger.warning("Could not enqueue webhook delivery %s; the replay task will send it.", delivery_id)


def backoff(attempt_number: int) -> timedelta:
    """Wait before the next attempt: base * 2^(n-1), capped (e.g. 30 s, 1 min, 2 min, ... at most 6 h)."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** (attempt_number - 1), 6 * 3600))


def deliver(delivery_id: int) -> WebhookDelivery | None:
    """Make one attempt to send a due delivery and record it; schedule the next attempt on failure.

    Idempotent (pretix style): the row is locked, and a delivery that is already delivered, failed, or not
    yet due is left alone, so a task run twice never sends twice.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if delivery is None:
            return None
        number = delivery.attempt_count + 1
        status_code, error, response_body, duration_ms = _post(delivery, number)
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            status_code=status_code,
            error=error,
            response_body=response_body,
            duration_ms=duration_ms,
        )
        delivery.attempt_count = number
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
        elif number >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = timezone.now() + backoff(number)
        delivery.save(update_fields=["attempt_count", "status", "delivered_at", "next_attempt_at", "updated_at"])
    if delivery.status == DeliveryStatus.PENDING:
        from .tasks import delivery_send

        try:
            delivery_send.apply_async((delivery.pk,), eta=delivery.next_attempt_at)
        except Exception:
            logger.warning("Could not schedule retry of webhook delivery %s; replay will.", delivery.pk)
    return delivery


def _post(delivery: WebhookDelivery, number: int) -> tuple[int | None, str, str, int]:
    """POST the stored body, signed; return (status code, error, start of the answer, duration in ms)."""
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310 - subscription URLs are http(s) only (URLField)
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "pow-case-management-webhooks/1",
            "X-Event": delivery.event,
            "X-Delivery-Id": str(delivery.pk),
            "X-Delivery-Attempt": str(number),
            "X-Signature": sign(body, delivery.subscription.secret),
        },
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read(2048).decode("utf-8", "replace")
            return response.status, "", answer, _ms(started)
    except urllib.error.HTTPError as exc:
        answer = exc.read(2048).decode("utf-8", "replace") if exc.fp else ""
        return exc.code, f"HTTP {exc.code}", answer, _ms(started)
    except Exception as exc:  # connection refused, timeout, DNS: recorded, retried
        return None, f"{type(exc).__name__}: {exc}"[:1000], "", _ms(started)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def deliveries_due(limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is due (the replay task sends these)."""
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (admin action): it becomes pending and due now; earlier attempts are kept."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), delivered_at=None, updated_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery
