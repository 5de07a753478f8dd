from django.core.management.base import BaseCommand, CommandError

from tenants import keys
from tenants.audit import audit_record
from tenants.models import PlatformApiKey


class Command(BaseCommand):
    help = "Create a key for the platform API (/api/platform/) and print it; it is stored only as a hash."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)

    def handle(self, *args, **options):
        name = options["name"].strip()
        if not name:
            raise CommandError("name: must not be blank")
        generated = keys.generate_key()
        PlatformApiKey.objects.create(name=name, prefix=generated.prefix, key_hash=generated.key_hash)
        audit_record(action="platform_key.created", target=f"{name} ({generated.prefix})")
        self.stdout.write(generated.plaintext)
