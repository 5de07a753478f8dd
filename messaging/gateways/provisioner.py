"""The adapter behind `tenants.ports.SubaccountProvisioner`: tenant subaccounts through the Twilio gateway."""

from __future__ import annotations

from messaging.gateways import get_gateway
from messaging.gateways.errors import GatewayError
from tenants.ports import ProvisionedSubaccount, ProvisioningFailed


class GatewaySubaccountProvisioner:
    """Creates, finds and changes the status of subaccounts under the ISV's main account."""

    def create(self, *, friendly_name: str) -> ProvisionedSubaccount:
        try:
            subaccount = get_gateway().create_subaccount(friendly_name)
        except GatewayError as exc:
            raise _failed("create the subaccount", exc) from exc
        return ProvisionedSubaccount(sid=subaccount.sid, auth_token=subaccount.auth_token)

    def find(self, *, friendly_name: str) -> ProvisionedSubaccount | None:
        try:
            found = get_gateway().find_subaccount(friendly_name)
        except GatewayError as exc:
            raise _failed("look up the subaccount", exc) from exc
        return None if found is None else ProvisionedSubaccount(sid=found.sid, auth_token=found.auth_token)

    def set_status(self, *, sid: str, status: str) -> None:
        gateway = get_gateway()
        change = {
            "active": gateway.reactivate_subaccount,
            "suspended": gateway.suspend_subaccount,
            "closed": gateway.close_subaccount,
        }[status]
        try:
            change(sid)
        except GatewayError as exc:
            raise _failed(f"set the subaccount {sid} to {status}", exc) from exc


def _failed(what: str, exc: GatewayError) -> ProvisioningFailed:
    return ProvisioningFailed(f"Twilio could not {what}: {exc}", twilio_code=getattr(exc, "code", None))
