"""The staff groups an ISV needs, as data (pure): each group's permissions as `app_label.codename`.

*Support* reads every tenant (its insights and incidents too) and enters a tenant's UI in read-only support mode.
*Operations* also runs tenants day to day: edits their settings and limits, suspends and reactivates them, provisions
their subaccounts, moves their sender registrations, revokes their API keys and edits the sender catalogue. *Platform
admin* may do everything, including onboarding and closing tenants, platform keys and the staff accounts themselves.
`tenants.services.staff.staff_groups_sync` makes the groups in the database match this table; the migrations run it.
"""

from __future__ import annotations

from typing import Final

SUPPORT: Final = "Support"
OPERATIONS: Final = "Operations"
PLATFORM_ADMIN: Final = "Platform admin"
EVERY_PERMISSION: Final = "*"

_SUPPORT: Final = (
    "tenants.view_tenant",
    "tenants.support_tenant",
    "tenants.view_domain",
    "tenants.view_tenantlimits",
    "tenants.view_membership",
    "tenants.view_user",
    "tenants.view_apikey",
    "tenants.view_auditevent",
    "catalogue.view_sendertype",
    "catalogue.view_countryrule",
    "catalogue.view_trusttier",
    "insights.view_incident",
    "insights.view_debuggerevent",
)
_OPERATIONS: Final = (
    *_SUPPORT,
    "tenants.change_tenant",
    "tenants.change_tenantlimits",
    "tenants.suspend_tenant",
    "tenants.provision_tenant",
    "tenants.manage_sender_registrations",
    "tenants.change_apikey",
    *(
        f"catalogue.{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("sendertype", "countryrule", "trusttier")
    ),
)

STAFF_GROUPS: Final[dict[str, tuple[str, ...] | str]] = {
    SUPPORT: _SUPPORT,
    OPERATIONS: _OPERATIONS,
    PLATFORM_ADMIN: EVERY_PERMISSION,
}
