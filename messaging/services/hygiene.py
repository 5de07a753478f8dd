"""Number hygiene: Twilio Lookup's line type for the tenant's numbers, in batches, kept for a while.

A number is looked up when it has never been, or its result has expired (`COMPLIANCE_LOOKUP_TTL_DAYS`); the
requests of a subaccount keep to `LOOKUP_RATE_PER_SECOND` across every worker. Landlines and invalid numbers are
then blocked by the pre-send rules (NUM-02) with the reason; the compliance app keeps the results.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from compliance.services.lookups import LineInfo, lookups_due, lookups_record, unsendable_reasons
from messaging.dispatch import rates
from messaging.gateways import get_gateway
from messaging.gateways.errors import GatewayError, RetryableError
from messaging.models import Contact
from messaging.services.sending import subaccount_credentials
from tenants.models import Tenant

logger = logging.getLogger(__name__)
RECORD_EVERY = 100  # results written a hundred at a time: a stopped batch keeps what it learnt


@dataclass
class LookupReport:
    looked_up: int = 0
    fresh: int = 0  # known already and not expired
    failed: list[str] = field(default_factory=list)  # numbers Twilio could not answer for now
    unsendable: dict[str, str] = field(default_factory=dict)  # number: landline, invalid, ...


def numbers_look_up(*, tenant: Tenant, numbers: Sequence[str]) -> LookupReport:
    """Look up the line type of each number not known or expired; a retryable refusal stops the batch (the rest is
    asked next time), a permanent one skips the number."""
    wanted = list(dict.fromkeys(numbers))
    due = lookups_due(wanted)
    report = LookupReport(fresh=len(wanted) - len(due))
    credentials = subaccount_credentials(tenant=tenant)
    key = rates.LOOKUP_KEY.format(subaccount=credentials.account_sid)
    found: list[LineInfo] = []
    for index, number in enumerate(due):
        rates.wait_for_slot(key, per_second=settings.LOOKUP_RATE_PER_SECOND)
        try:
            result = get_gateway().lookup_line_type(credentials, number)
        except RetryableError as exc:
            logger.warning("lookups of %s paused after %d: %s", tenant.slug, index, exc)
            report.failed.extend(due[index:])
            break
        except GatewayError as exc:
            report.failed.append(number)
            logger.warning("lookup of a number of %s refused: %s", tenant.slug, exc)
            continue
        found.append(LineInfo(number, result.valid, result.line_type or "", result.carrier_name or "",
                              result.country_code or ""))  # fmt: skip
        if len(found) == RECORD_EVERY:
            report.looked_up += lookups_record(results=found)
            found = []
    report.looked_up += lookups_record(results=found)
    report.unsendable = unsendable_reasons(wanted)
    contacts_mark_unsendable(report.unsendable)
    return report


REASONS = {"invalid": "Lookup: not a valid number", "landline": "Lookup: a landline, which cannot take texts"}


def contacts_mark_unsendable(reasons: dict[str, str]) -> int:
    """Mark the contacts of numbers Lookup found unsendable, with the reason; returns how many changed."""
    changed = 0
    now = timezone.now()
    for line_type in sorted(set(reasons.values())):
        numbers = [number for number, kind in reasons.items() if kind == line_type]
        reason = REASONS.get(line_type, f"Lookup: a {line_type} line, which cannot take texts")
        changed += Contact.objects.filter(phone_number__in=numbers, status=Contact.Status.ACTIVE).update(
            status=Contact.Status.UNSENDABLE, unsendable_reason=reason, unsendable_since=now
        )
    return changed
