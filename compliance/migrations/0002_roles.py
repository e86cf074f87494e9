"""Grant the role groups the permissions declared in compliance.roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    from compliance.roles import COMPLIANCE_ROLE_PERMISSIONS
    from powcases.roles import sync_role_permissions

    sync_role_permissions(apps, "compliance", COMPLIANCE_ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial"), ("powcases", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
