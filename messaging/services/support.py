"""What ISV staff do in a tenant's data for support: search its delivery log by number or Twilio SID, audited."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q

from messaging import selectors
from messaging.errors import MessagingValidationError, UnprocessableInput
from messaging.models import Message
from messaging.services.contacts.phones import normalize_phone_number
from tenants.audit import audit_record
from tenants.models import Tenant, User

SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
SEARCH_LIMIT = 100


def delivery_log_search(*, tenant: Tenant, query: str, actor: User, ip_address: str | None = None) -> list[Message]:
    """The tenant's messages (current schema) with this Twilio SID, or to or from this number, newest first, at most
    100; every search is in the audit log with what was asked and how many messages it found."""
    asked = query.strip()
    if SID.match(asked):
        condition, target = Q(twilio_sid=asked), asked
    elif asked:
        number = asked if E164.match(asked) else _number(asked, tenant.default_country)
        condition, target = Q(to=number) | Q(from_address=number), number
    else:
        raise MessagingValidationError("give a number or a message SID (SM… or MM…)", field="q")
    with transaction.atomic():
        found = list(selectors.messages().filter(condition).order_by("-id")[:SEARCH_LIMIT])
        audit_record(
            action="messages.staff_search",
            tenant=tenant,
            actor=actor,
            target=target,
            details={"query": asked, "found": len(found)},
            ip_address=ip_address,
        )
    return found


def _number(raw: str, default_country: str) -> str:
    try:
        return normalize_phone_number(raw, default_country=default_country, field="q")[0]
    except UnprocessableInput as exc:
        raise MessagingValidationError(f"{raw!r} is neither a phone number nor a message SID", field="q") from exc
