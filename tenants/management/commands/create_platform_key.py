from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tenants.errors import TenantsError
from tenants.services.api_keys import platform_key_create


class Command(BaseCommand):
    help = "Create a key for the platform API (/api/platform/) and print it; it is stored only as a hash."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--expires-in-days", type=int, default=None, help="the key stops working after this")

    def handle(self, *args, **options):
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("expires-in-days: must be 1 or more")
        expires_at = timezone.now() + timedelta(days=days) if days is not None else None
        try:
            _, plaintext = platform_key_create(name=options["name"], expires_at=expires_at, actor_label="cli")
        except TenantsError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(plaintext)
