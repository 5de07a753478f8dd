"""The quiet hours and keyword replies a tenant set on its public row move into its compliance settings.

Runs in each tenant schema: it reads that tenant's row in the public schema (the columns stay there, no longer
used, until a later release drops them) and writes the settings row and the English reply texts.
"""

from django.db import migrations

READ = """
SELECT quiet_hours_start, quiet_hours_end, stop_reply, start_reply, help_reply, default_country
FROM public.tenants_tenant WHERE schema_name = current_schema()
"""
NORTH_AMERICA = ("CA", "US")


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(READ)
        row = cursor.fetchone()
    if row is None:  # the template schema new tenants are cloned from: they start with the defaults
        return
    quiet_from, quiet_until, stop_reply, start_reply, help_reply, country = row
    settings_model = apps.get_model("compliance", "ComplianceSettings")
    reply_model = apps.get_model("compliance", "ReplyText")
    countries = list(NORTH_AMERICA) if country in NORTH_AMERICA else [country]
    # The tenant's quiet hours held back marketing only: its transactional and passcode messages stay exempt.
    fields = {"enabled_countries": countries, "exempt_categories": ["passcode", "transactional"]}
    if quiet_from is not None and quiet_until is not None and quiet_from != quiet_until:
        # quiet from 21:00 until 08:00 is a sending window from 08:00 to 21:00
        fields.update(window_start=quiet_until, window_end=quiet_from)
    settings_model.objects.update_or_create(pk=1, defaults=fields)
    for kind, text in (("opt_out", stop_reply), ("opt_in", start_reply), ("help", help_reply)):
        if text:
            reply_model.objects.update_or_create(kind=kind, language="en", defaults={"text": text[:320]})


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_register_append_only")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
