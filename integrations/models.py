"""What other systems integrate through: webhook subscriptions, the delivery outbox, idempotency keys.

The outbox is the source of truth for webhooks: a `WebhookDelivery` row is written in the same transaction
as the change it announces, so an event is never lost and never announced for a change that rolled back.
Sending happens afterwards (Celery), and every attempt is kept as a `DeliveryAttempt` row.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class WebhookEvent(models.TextChoices):
    """Events an integrator can subscribe to (the names are part of the API contract)."""

    EXCHANGE_CREATED = "exchange.created", "Exchange created"
    EXCHANGE_STATUS_CHANGED = "exchange.status_changed", "Exchange status changed"
    EXCHANGE_MEMBERS_CHANGED = "exchange.members_changed", "Exchange members changed"
    FINDING_CRITICAL_OPENED = "finding.critical_opened", "Critical finding opened"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending (will be sent or retried)"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (attempts exhausted)"


def _new_secret() -> str:
    return secrets.token_hex(32)


class WebhookSubscription(models.Model):
    """An integrator's URL that receives signed JSON for the events it chose."""

    name = models.CharField(max_length=200, help_text="Who receives this, e.g. 'Coordination centre tracker'.")
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=200, default=_new_secret, help_text="Shared secret for the X-Signature HMAC-SHA256 of each body."
    )
    events = models.JSONField(default=list, help_text="Event names, e.g. ['exchange.created'].")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not isinstance(self.events, list) or not self.events:
            raise ValidationError({"events": ["Choose at least one event."]})
        unknown = [e for e in self.events if e not in WebhookEvent.values]
        if unknown:
            raise ValidationError(
                {"events": [f"Unknown event {unknown[0]!r}: expected one of {', '.join(WebhookEvent.values)}."]}
            )


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row, written with the change, sent after commit."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(help_text="The JSON body sent (signed as serialised in `body`).")
    body = models.TextField(help_text="The exact bytes sent, so a redelivery carries the same signature.")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, help_text="When the next attempt is due.")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
            models.CheckConstraint(condition=Q(event__in=WebhookEvent.values), name="delivery_event_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} → {self.subscription_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """One HTTP attempt to deliver a webhook: what came back and how long it took (append-only)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    response_body = models.TextField(blank=True, help_text="The first kilobytes of the receiver's answer.")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"Attempt {self.number}: {self.status_code or self.error[:40]}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` for one POST: the request's fingerprint and the first response.

    While the first request is being processed the row has no response (`completed_at` is empty), so a
    concurrent duplicate is recognised and refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]

    def __str__(self) -> str:
        return f"{self.key} ({self.user_id})"
