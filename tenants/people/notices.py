"""Emails that tell a person about their own account: sign-in to it was locked after repeated wrong passwords."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string

from tenants.audit import audit_record
from tenants.models import User
from tenants.people import throttle


def signin_lock_notice_send(*, email: str, ip_address: str | None) -> bool:
    """Email the active account registered with `email` that its sign-in is locked, and audit the lock; returns
    False (and does nothing) when no active account has that email."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return False
    audit_record(action="user.signin_locked", target=user.email, ip_address=ip_address)
    context = {
        "email": user.email,
        "ip_address": ip_address or "an unknown address",
        "failures": throttle.ACCOUNT_FAILURE_LIMIT,
        "window_minutes": throttle.WINDOW_SECONDS // 60,
        "lock_minutes": throttle.LOCK_SECONDS // 60,
    }
    send_mail(
        subject="Sign-in to your Switchboard account is paused",
        message=render_to_string("tenants/people/email/signin_locked.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
