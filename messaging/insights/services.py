"""Services of the public insights app: the calling-code table, and per-tenant health thresholds."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import phonenumbers
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from messaging.insights.models import CallingCode, HealthThresholds
from tenants.audit import audit_record
from tenants.models import Tenant

logger = logging.getLogger(__name__)


def calling_codes() -> dict[str, str]:
    """Prefix (digits after +) → country: every calling code's main region, and the NANP area codes of regions
    other than the US (a +1 number of another area code counts as US)."""
    codes = {str(code): regions[0] for code, regions in COUNTRY_CODE_TO_REGION_CODE.items() if regions[0] != "001"}
    for area in range(200, 1000):
        region = phonenumbers.region_code_for_number(phonenumbers.parse(f"+1{area}2345678"))
        if region and region != "US":
            codes[f"1{area}"] = region
    return codes


def calling_codes_ensure() -> int:
    """Fill the calling-code table when it lacks rows; returns how many were written."""
    codes = calling_codes()
    if CallingCode.objects.count() >= len(codes):
        return 0
    created = CallingCode.objects.bulk_create(
        [CallingCode(prefix=prefix, country=country) for prefix, country in sorted(codes.items())],
        ignore_conflicts=True,
    )
    return len(created)


def seed_after_migrate(sender, **kwargs) -> None:
    """post_migrate (and after a test flush): the calling codes the rollup trigger reads."""
    if connection.schema_name != get_public_schema_name():
        return
    written = calling_codes_ensure()
    if written:
        logger.info("insights: %d calling codes seeded", written)


THRESHOLD_FIELDS = (
    "error_rate_percent", "opt_out_rate_percent", "filtering_rate_percent", "registration_errors", "queue_overflows",
    "debugger_errors", "min_messages", "window_minutes",
)  # fmt: skip


def health_thresholds_update(
    *, tenant: Tenant, changes: dict[str, Any], actor=None, actor_label: str = ""
) -> HealthThresholds:
    """Change the tenant's health thresholds (the fields given); audited with the old and new values."""
    unknown = set(changes) - set(THRESHOLD_FIELDS)
    if unknown:
        raise ValueError(f"not a threshold: {sorted(unknown)}")
    with transaction.atomic():
        row, _ = HealthThresholds.objects.select_for_update().get_or_create(tenant=tenant)
        before = {name: _plain(getattr(row, name)) for name in changes}
        for name, value in changes.items():
            setattr(row, name, value)
        row.full_clean(exclude=["tenant"])
        row.save()
        after = {name: _plain(getattr(row, name)) for name in changes}
        audit_record(
            action="insights.thresholds_changed",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label or None,
            target="health thresholds",
            details={"before": before, "after": after},
        )
    return row


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value
