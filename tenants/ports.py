"""What the tenants app needs from the SMS provider, as a port: subaccounts for tenants.

`tenants` never imports `messaging` (where the one door to Twilio lives), so it names what it needs here and the
messaging app supplies it. The wiring is one setting: `TENANT_SUBACCOUNT_PROVISIONER` names the adapter, by default
`messaging.gateways.provisioner.GatewaySubaccountProvisioner`, which talks to Twilio (or the local sandbox) through
the gateway. Tests install a fake gateway, so the adapter needs no replacing there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from tenants.errors import ProvisioningFailed

__all__ = ["ProvisionedSubaccount", "ProvisioningFailed", "SubaccountProvisioner", "get_provisioner"]


@dataclass(frozen=True)
class ProvisionedSubaccount:
    """A tenant's subaccount at the provider: its SID and auth token (never shown in a repr)."""

    sid: str
    auth_token: str = field(repr=False)


class SubaccountProvisioner(Protocol):
    """The port: create, find and change the status of a tenant's subaccount; refusals raise ProvisioningFailed."""

    def create(self, *, friendly_name: str) -> ProvisionedSubaccount:
        """Create a subaccount under the ISV's main account."""

    def find(self, *, friendly_name: str) -> ProvisionedSubaccount | None:
        """An open subaccount with this friendly name (left by an interrupted creation), if any."""

    def set_status(self, *, sid: str, status: str) -> None:
        """Move the subaccount to `active`, `suspended` or `closed` (closing is final)."""


def get_provisioner() -> SubaccountProvisioner:
    """The adapter named by TENANT_SUBACCOUNT_PROVISIONER."""
    return import_string(settings.TENANT_SUBACCOUNT_PROVISIONER)()
