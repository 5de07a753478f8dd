"""Stored secrets: re-encryption with the newest FIELD_ENCRYPTION_KEY.

Secrets other apps keep in tenant schemas (webhook signing secrets) are re-encrypted by the functions that
TENANT_SCHEMA_SECRET_REENCRYPTERS names (this app imports none of them), each called inside every tenant's schema.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tenants.utils import schema_context

from tenants import crypto
from tenants.audit import audit_record
from tenants.models import Tenant, User


def secrets_reencrypt() -> int:
    """Re-encrypt every stored secret with the newest FIELD_ENCRYPTION_KEY; returns how many were rewritten."""
    count = 0
    with transaction.atomic():
        for tenant in Tenant.objects.exclude(twilio_auth_token_encrypted="").order_by("slug").select_for_update():
            try:
                tenant.twilio_auth_token_encrypted = crypto.rotate(tenant.twilio_auth_token_encrypted)
            except crypto.SecretUnreadable as exc:
                raise crypto.SecretUnreadable(f"tenant {tenant.slug}: {exc}") from exc
            tenant.save(update_fields=["twilio_auth_token_encrypted"])
            count += 1
        for user in User.objects.exclude(totp_secret_encrypted="").order_by("email").select_for_update():
            try:
                user.totp_secret_encrypted = crypto.rotate(user.totp_secret_encrypted)
            except crypto.SecretUnreadable as exc:
                raise crypto.SecretUnreadable(f"user {user.email}: {exc}") from exc
            user.save(update_fields=["totp_secret_encrypted"])
            count += 1
        count += _tenant_schema_secrets_reencrypt()
        audit_record(action="secrets.reencrypted", details={"count": count})
    return count


def _tenant_schema_secrets_reencrypt() -> int:
    count = 0
    reencrypters = [import_string(path) for path in settings.TENANT_SCHEMA_SECRET_REENCRYPTERS]
    for tenant in Tenant.objects.exclude(schema_name="public").order_by("slug"):
        with schema_context(tenant.schema_name):
            for reencrypt in reencrypters:
                try:
                    count += reencrypt()
                except crypto.SecretUnreadable as exc:
                    raise crypto.SecretUnreadable(f"tenant {tenant.slug}: {exc}") from exc
    return count
