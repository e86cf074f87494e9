"""Endpoints for integrators to manage their webhook subscriptions (needs the integrations permissions)."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets

from powcases.api.base import ID_PATTERN, ETagWriteMixin, ModelPermissions, RecordFilterSet

from ..models import WebhookSubscription
from .serializers import WebhookSubscriptionSerializer


class WebhookSubscriptionFilter(RecordFilterSet):
    class Meta:
        model = WebhookSubscription
        fields = ["active"]


class WebhookSubscriptionViewSet(ETagWriteMixin, viewsets.ModelViewSet):
    """Subscribe a URL to exchange.created, exchange.status_changed, exchange.members_changed or
    finding.critical_opened. Bodies are signed: `X-Signature: sha256=<hex HMAC-SHA256 of the body>`."""

    serializer_class = WebhookSubscriptionSerializer
    filterset_class = WebhookSubscriptionFilter
    permission_classes = [ModelPermissions]
    queryset = WebhookSubscription.objects.all()
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["show_secret"] = self.action == "create"
        return context
