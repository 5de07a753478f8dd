"""The ISV staff groups (Support, Operations, Platform admin) with their permissions, from tenants.staff_roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def staff_groups(apps, schema_editor, *, strict=False):
    from tenants.services.staff import staff_groups_sync

    # Permissions are normally created after every migration has run; the groups need them now. The table names
    # permissions of apps whose models may come later (insights): those are given by their own migration (0008).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    staff_groups_sync(
        group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"), strict=strict
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0004_staff_permissions_platform_key_expiry"),
        ("catalogue", "0001_sender_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(staff_groups, migrations.RunPython.noop)]
