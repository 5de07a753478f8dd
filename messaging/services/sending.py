"""The send guard: every call that would make Twilio send something asks for its credentials here.

`sending_credentials` refuses a tenant that is suspended or closed before any request leaves, so nothing reaches
Twilio (or the sandbox) for it.
"""

from __future__ import annotations

from messaging.errors import SubaccountMissing, TenantNotSending
from messaging.gateways.base import Credentials
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
