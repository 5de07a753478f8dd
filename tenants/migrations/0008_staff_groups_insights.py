"""The staff groups again, once the insights models exist: Support reads incidents and Twilio's debugger events."""

import functools
import importlib

from django.db import migrations

staff_groups = importlib.import_module("tenants.migrations.0005_staff_groups").staff_groups


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0007_compliance_settings_moved"),
        ("insights", "0004_tenant_days"),
    ]

    operations = [migrations.RunPython(functools.partial(staff_groups, strict=True), migrations.RunPython.noop)]
