from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import schema_exists

from tenants.services.staff import staff_groups_sync


class Command(BaseCommand):
    help = (
        "Migrate the public schema, the tenant template schema and every tenant schema; then bring the staff "
        "groups up to date (a new permission reaches Platform admin)."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template = settings.TENANT_BASE_SCHEMA
        if not schema_exists(template):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{template}"')
        call_command("migrate_schemas", tenant=True, schema_name=template, interactive=False, verbosity=verbosity)
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity)
        connection.set_schema_to_public()
        staff_groups_sync()
