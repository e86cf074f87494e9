from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, app_config=None, using="default", **kwargs) -> None:
    from django.apps import apps

    from powcases.roles import sync_role_permissions

    from .roles import COMPLIANCE_ROLE_PERMISSIONS

    sync_role_permissions(apps, "compliance", COMPLIANCE_ROLE_PERMISSIONS)


class ComplianceConfig(AppConfig):
    """Geneva Convention (III) compliance: rules, findings, legal review, reports."""

    name = "compliance"
    verbose_name = "Compliance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="compliance.sync_roles")
        from . import (
            receivers,  # noqa: F401  (connects to powcases.signals.record_changed)
            rules,  # noqa: F401  (each rule module registers its rules in compliance.registry)
        )
