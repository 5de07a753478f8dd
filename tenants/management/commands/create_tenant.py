from django.core.management.base import BaseCommand, CommandError

from tenants.errors import ProvisioningFailed, TenantsError
from tenants.services.lifecycle import tenant_create


class Command(BaseCommand):
    help = (
        "Create a tenant: its Twilio subaccount, its schema (cloned from the template), its host "
        "<slug>.<platform domain>, and an invitation for the first owner."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--time-zone", default="UTC")
        parser.add_argument("--country", default="US", help="default country, ISO 3166-1 alpha-2")
        parser.add_argument("--owner-email", default="", help="the first owner, invited by email")

    def handle(self, *args, **options):
        try:
            tenant = tenant_create(
                name=options["name"],
                slug=options["slug"],
                time_zone=options["time_zone"],
                default_country=options["country"],
                owner_email=options["owner_email"],
            )
        except ProvisioningFailed as exc:
            raise CommandError(f"nothing was created: {exc}") from exc
        except TenantsError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from exc
        self.stdout.write(
            f"created tenant {tenant.slug} (schema {tenant.schema_name}, subaccount {tenant.twilio_subaccount_sid}) "
            f"at {tenant.get_primary_domain()}"
        )
