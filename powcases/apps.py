from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, app_config=None, using="default", **kwargs) -> None:
    from django.apps import apps

    from .roles import POWCASES_ROLE_PERMISSIONS, sync_role_permissions

    sync_role_permissions(apps, "powcases", POWCASES_ROLE_PERMISSIONS)


class PowcasesConfig(AppConfig):
    """The case record: detainees and everything recorded about them."""

    name = "powcases"
    verbose_name = "Case record"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="powcases.sync_roles")
