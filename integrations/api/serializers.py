"""Serializers of the webhook subscription API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from powcases.api.base import user_of

from ..models import WebhookEvent, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """A URL subscribed to events; `secret` is shown once, when the subscription is created."""

    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1, max_length=len(WebhookEvent)
    )
    url = serializers.URLField(max_length=500)
    secret = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=200,
        min_length=16,
        help_text="HMAC-SHA256 key for X-Signature; generated when left out.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "secret", "events", "active", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance: WebhookSubscription) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("show_secret"):
            data["secret"] = None
        return data

    def save(self, **kwargs: Any) -> WebhookSubscription:
        from django.db import transaction

        record = self.instance or WebhookSubscription(created_by=user_of(self.context["request"]))
        for name, value in self.validated_data.items():
            if name == "secret" and not value:
                continue  # keep the current (or generated) secret
            setattr(record, name, list(dict.fromkeys(value)) if name == "events" else value)
        with transaction.atomic():
            record.full_clean()
            record.save()
        self.instance = record
        return record
