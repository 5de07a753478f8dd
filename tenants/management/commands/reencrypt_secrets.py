from django.core.management.base import BaseCommand, CommandError

from tenants.crypto import SecretUnreadable
from tenants.services.secrets import secrets_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the first key of FIELD_ENCRYPTION_KEY. Rotate a key by putting the new "
        "key first (keep the old one after it), running this command, then removing the old key."
    )

    def handle(self, *args, **options):
        try:
            count = secrets_reencrypt()
        except SecretUnreadable as exc:
            raise CommandError(f"{exc}; nothing was changed") from exc
        self.stdout.write(f"re-encrypted {count} secret(s)")
