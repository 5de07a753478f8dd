"""The send guard and the test send: every call that would make Twilio send something asks for its credentials here.

`sending_credentials` refuses a tenant that is suspended or closed before any request leaves, so nothing reaches
Twilio (or the sandbox) for it.
"""

from __future__ import annotations

from compliance.domain import registration
from messaging.errors import (
    MessagingValidationError,
    ProviderRefused,
    SenderNotReady,
    SubaccountMissing,
    TenantNotSending,
)
from messaging.gateways import get_gateway
from messaging.gateways.base import Credentials, OutboundMessage, SendResult
from messaging.gateways.errors import GatewayError
from messaging.models import Sender
from messaging.services.contacts import normalize_phone_number
from tenants.models import Tenant
from tenants.selectors import subaccount_auth


def subaccount_credentials(*, tenant: Tenant) -> Credentials:
    """The tenant's subaccount SID and token, for reading from Twilio; SubaccountMissing when it has none."""
    auth = subaccount_auth(tenant)
    if auth is None:
        raise SubaccountMissing(
            f"tenant {tenant.slug} has no Twilio subaccount yet; ISV staff can provision it from the admin"
        )
    return Credentials(*auth)


def sending_credentials(*, tenant: Tenant) -> Credentials:
    """The subaccount credentials for a send; a suspended or closed tenant gets a clear error instead."""
    if tenant.status == Tenant.Status.SUSPENDED:
        raise TenantNotSending(
            f"tenant suspended: {tenant.name} cannot send messages until ISV staff reactivate it",
            code="tenant_suspended",
        )
    if tenant.status == Tenant.Status.CLOSED:
        raise TenantNotSending(f"tenant closed: {tenant.name} can no longer send messages", code="tenant_closed")
    return subaccount_credentials(tenant=tenant)


def sender_test_send(*, tenant: Tenant, sender: Sender, to: str, body: str) -> SendResult:
    """Send one message from `sender` to `to` right away, e.g. to check a new sender works end to end."""
    if not body.strip():
        raise MessagingValidationError("body must not be blank", field="body")
    to_e164, _ = normalize_phone_number(to, default_country=tenant.default_country, field="to")
    credentials = sending_credentials(tenant=tenant)
    verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    if not verdict.allowed:
        raise SenderNotReady(f"{sender.address} cannot send yet: {verdict.reason}", field="sender")
    if sender.kind == Sender.Kind.MESSAGING_SERVICE:
        message = OutboundMessage(to=to_e164, body=body, messaging_service_sid=sender.address)
    else:
        message = OutboundMessage(to=to_e164, body=body, from_=sender.address)
    try:
        return get_gateway().send(credentials, message)
    except GatewayError as exc:
        raise ProviderRefused(exc, field="to") from exc
