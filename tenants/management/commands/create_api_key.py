from django.core.management.base import BaseCommand, CommandError

from tenants import keys
from tenants.errors import TenantsError
from tenants.models import Tenant
from tenants.services.api_keys import api_key_create


class Command(BaseCommand):
    help = "Create an API key for a tenant and print it (it is shown this once and stored only as a hash)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="tenant slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scopes", nargs="*", default=list(keys.SCOPES), help=f"any of: {' '.join(keys.SCOPES)}")

    def handle(self, *args, **options):
        tenant = Tenant.objects.exclude(schema_name="public").filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"tenant: no tenant with slug '{options['tenant']}'")
        try:
            _, plaintext = api_key_create(tenant=tenant, name=options["name"], scopes=options["scopes"])
        except TenantsError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(plaintext)
