"""Create the role groups and grant them the permissions declared in powcases.roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so the groups can be granted them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    from powcases.roles import POWCASES_ROLE_PERMISSIONS, sync_role_permissions

    sync_role_permissions(apps, "powcases", POWCASES_ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    from powcases.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("powcases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
