from django.core.management.base import BaseCommand, CommandError

from tenants.errors import TenantsError
from tenants.services.api_keys import platform_key_create


class Command(BaseCommand):
    help = "Create a key for the platform API (/api/platform/) and print it; it is stored only as a hash."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)

    def handle(self, *args, **options):
        try:
            _, plaintext = platform_key_create(name=options["name"])
        except TenantsError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(plaintext)
