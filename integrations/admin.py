"""Admin of the integrations: subscriptions, the delivery outbox with each attempt, idempotency keys."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import outbox
from .models import DeliveryAttempt, IdempotencyKey, WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "active", "events", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "at", "status_code", "duration_ms", "error", "response_body"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "subscription", "status", "attempt_count", "next_attempt_at", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    readonly_fields = [
        "subscription",
        "event",
        "payload",
        "body",
        "status",
        "attempt_count",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ]
    exclude = ["updated_at"]
    inlines = [DeliveryAttemptInline]
    actions = ["redeliver"]

    @admin.action(description="Redeliver the selected deliveries", permissions=["change"])
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = 0
        for delivery in queryset:
            outbox.redeliver(delivery)
            count += 1
        self.message_user(request, f"{count} deliveries queued for redelivery.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # deliveries come from events only


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "status_code", "created_at", "completed_at"]
    list_select_related = ["user"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in IdempotencyKey._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
