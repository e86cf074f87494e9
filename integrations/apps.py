from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """What other systems integrate through: webhooks, their outbox, idempotency keys."""

    name = "integrations"
    verbose_name = "Integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects to powcases and compliance signals)
