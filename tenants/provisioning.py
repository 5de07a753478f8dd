"""The port through which tenant services reach the Twilio subaccount of a tenant.

`tenants` must not import `messaging` (where the Twilio gateway lives), so the implementation is named in the
TENANT_SUBACCOUNT_PROVISIONER setting and loaded at use: `messaging.provisioning.GatewaySubaccountProvisioner`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ProvisionedSubaccount:
    sid: str
    auth_token: str = field(repr=False)


class ProvisioningFailed(Exception):
    """Twilio refused or did not answer; nothing was changed on our side."""

    status = 502
    code = "provisioning_failed"

    def __init__(self, message: str, *, twilio_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = None
        self.twilio_code = twilio_code


class SubaccountProvisioner(Protocol):
    def create(self, *, friendly_name: str) -> ProvisionedSubaccount:
        """Create a subaccount under the ISV's main account."""

    def find(self, *, friendly_name: str) -> ProvisionedSubaccount | None:
        """An open subaccount with this friendly name (left by an interrupted creation), if any."""

    def set_status(self, *, sid: str, status: str) -> None:
        """Move the subaccount to `active`, `suspended` or `closed` (closing is final)."""


def get_provisioner() -> SubaccountProvisioner:
    """The configured provisioner."""
    return import_string(settings.TENANT_SUBACCOUNT_PROVISIONER)()
