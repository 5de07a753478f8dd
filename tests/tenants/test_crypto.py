"""Secrets at rest: Fernet with MultiFernet rotation."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from tenants import crypto
from tenants.models import Tenant

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_round_trip_and_ciphertext_differs(settings):
    settings.FIELD_ENCRYPTION_KEY = [OLD_KEY]
    ciphertext = crypto.encrypt("token-123")
    assert "token-123" not in ciphertext
    assert crypto.decrypt(ciphertext) == "token-123"


def test_new_key_first_still_reads_old_ciphertext(settings):
    # given a secret written under the old key
    settings.FIELD_ENCRYPTION_KEY = [OLD_KEY]
    ciphertext = crypto.encrypt("token-123")
    # when a new key is put in front
    settings.FIELD_ENCRYPTION_KEY = [NEW_KEY, OLD_KEY]
    # then
    assert crypto.decrypt(ciphertext) == "token-123"


def test_unknown_key_is_a_clear_error(settings):
    settings.FIELD_ENCRYPTION_KEY = [OLD_KEY]
    ciphertext = crypto.encrypt("token-123")
    settings.FIELD_ENCRYPTION_KEY = [NEW_KEY]
    with pytest.raises(crypto.SecretUnreadable, match="cannot be decrypted with the configured FIELD_ENCRYPTION_KEY"):
        crypto.decrypt(ciphertext)


@pytest.mark.django_db
def test_reencrypt_command_lets_the_old_key_go(settings, tenant_a, capsys):
    # given every tenant's token stored under the old key
    settings.FIELD_ENCRYPTION_KEY = [OLD_KEY]
    Tenant.objects.exclude(twilio_auth_token_encrypted="").update(
        twilio_auth_token_encrypted=crypto.encrypt("old-token")
    )
    Tenant.objects.filter(pk=tenant_a.pk).update(twilio_auth_token_encrypted=crypto.encrypt("acme-token"))
    expected = Tenant.objects.exclude(twilio_auth_token_encrypted="").count()
    # when the new key is put first and the command runs
    settings.FIELD_ENCRYPTION_KEY = [NEW_KEY, OLD_KEY]
    call_command("reencrypt_secrets")
    # then the old key can be removed
    settings.FIELD_ENCRYPTION_KEY = [NEW_KEY]
    tenant_a.refresh_from_db()
    assert crypto.decrypt(tenant_a.twilio_auth_token_encrypted) == "acme-token"
    assert capsys.readouterr().out == f"re-encrypted {expected} secret(s)\n"


@pytest.mark.django_db
def test_reencrypt_names_the_unreadable_secret_and_changes_nothing(settings, tenant_a):
    settings.FIELD_ENCRYPTION_KEY = [OLD_KEY]
    Tenant.objects.filter(pk=tenant_a.pk).update(twilio_auth_token_encrypted=crypto.encrypt("acme-token"))
    before = dict(Tenant.objects.values_list("slug", "twilio_auth_token_encrypted"))
    settings.FIELD_ENCRYPTION_KEY = [NEW_KEY]
    with pytest.raises(CommandError, match=r"^tenant acme: the secret cannot be decrypted .*; nothing was changed$"):
        call_command("reencrypt_secrets")
    assert dict(Tenant.objects.values_list("slug", "twilio_auth_token_encrypted")) == before
