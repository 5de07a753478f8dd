"""Quiet hours and keyword replies now live in each tenant's compliance settings (compliance 0003 copies them).

The columns leave the model but stay in the table, nullable, so that the copy can read them in every tenant schema
after this migration; a later release drops them.
"""

from django.db import migrations

FIELDS = ("quiet_hours_start", "quiet_hours_end", "stop_reply", "start_reply", "help_reply")
RELAX = """
ALTER TABLE tenants_tenant ALTER COLUMN stop_reply DROP NOT NULL;
ALTER TABLE tenants_tenant ALTER COLUMN start_reply DROP NOT NULL;
ALTER TABLE tenants_tenant ALTER COLUMN help_reply DROP NOT NULL;
"""
RESTORE = """
UPDATE tenants_tenant SET stop_reply = COALESCE(stop_reply, ''), start_reply = COALESCE(start_reply, ''),
    help_reply = COALESCE(help_reply, '');
ALTER TABLE tenants_tenant ALTER COLUMN stop_reply SET NOT NULL;
ALTER TABLE tenants_tenant ALTER COLUMN start_reply SET NOT NULL;
ALTER TABLE tenants_tenant ALTER COLUMN help_reply SET NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0006_limits_daily_cap_dispatch_share")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(RELAX, RESTORE)],
            state_operations=[migrations.RemoveField("tenant", name) for name in FIELDS],
        )
    ]
