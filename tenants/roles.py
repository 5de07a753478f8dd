"""The one written permission matrix: which tenant roles may do what (pure).

The UI, the API and the admin all ask `role_allows(role, permission)`; API keys are checked by scope instead
(`tenants.keys.SCOPES`), and `SCOPE_FOR_PERMISSION` says which scope an API endpoint needs.
"""

from __future__ import annotations

OWNER, ADMIN, OPERATOR, ANALYST = "owner", "admin", "operator", "analyst"
ROLES = (OWNER, ADMIN, OPERATOR, ANALYST)

# permission: (roles allowed, what it covers)
MATRIX: dict[str, tuple[frozenset[str], str]] = {
    "dashboard.view": (frozenset(ROLES), "See the dashboard"),
    "logs.view": (frozenset(ROLES), "Read delivery logs and message history"),
    "insights.view": (frozenset(ROLES), "Read delivery, error and opt-out insights"),
    "messages.send": (frozenset({OWNER, ADMIN, OPERATOR}), "Send transactional messages"),
    "campaigns.manage": (frozenset({OWNER, ADMIN, OPERATOR}), "Create, launch and cancel campaigns"),
    "contacts.manage": (frozenset({OWNER, ADMIN, OPERATOR}), "Create, import and edit contacts"),
    "optouts.manage": (frozenset({OWNER, ADMIN}), "Record or remove opt-outs by hand"),
    "compliance.view": (frozenset(ROLES), "Read the opt-out register, consents, keywords, settings and rules"),
    "compliance.manage": (
        frozenset({OWNER, ADMIN}),
        "Record consents; change keywords, replies and compliance settings; decide revocation reviews",
    ),
    "senders.manage": (frozenset({OWNER, ADMIN}), "Add senders, use the wizard, start provisioning"),
    "apikeys.manage": (frozenset({OWNER, ADMIN}), "Create and revoke API keys"),
    "team.manage": (frozenset({OWNER, ADMIN}), "Invite people and change roles"),
    "owners.manage": (frozenset({OWNER}), "Grant or remove the owner role"),
    "settings.manage": (frozenset({OWNER, ADMIN}), "Edit tenant settings"),
    "webhooks.manage": (frozenset({OWNER, ADMIN}), "Add, change and test webhook endpoints; read their deliveries"),
    "audit.view": (frozenset({OWNER}), "Read the tenant's audit log"),
}

SCOPE_FOR_PERMISSION = {
    "messages.send": "messages:send",
    "logs.view": "messages:read",
    "contacts.manage": "contacts:write",
    "optouts.manage": "compliance:write",
    "compliance.view": "compliance:read",
    "compliance.manage": "compliance:write",
    "campaigns.manage": "campaigns:write",
    "insights.view": "insights:read",
    "apikeys.manage": "admin",
    "team.manage": "admin",
    "settings.manage": "admin",
    "senders.manage": "admin",
    "webhooks.manage": "admin",
    "audit.view": "admin",
}


def role_allows(role: str | None, permission: str) -> bool:
    """True when `role` holds `permission`; an unknown permission is a programming error."""
    allowed, _ = MATRIX[permission]
    return role in allowed


def permissions_of(role: str) -> frozenset[str]:
    """Every permission a role holds."""
    return frozenset(name for name, (allowed, _) in MATRIX.items() if role in allowed)
