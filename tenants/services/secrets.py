"""Stored secrets: re-encryption with the newest FIELD_ENCRYPTION_KEY."""

from __future__ import annotations

from django.db import transaction

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
        audit_record(action="secrets.reencrypted", details={"count": count})
    return count
