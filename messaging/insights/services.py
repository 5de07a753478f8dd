"""Services of the public insights app: the calling-code table, per-tenant health thresholds, and the events Twilio's
debugger posts."""

from __future__ import annotations

import json
import logging
from datetime import UTC
from decimal import Decimal
from typing import Any

import phonenumbers
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tenants.utils import get_public_schema_name
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from messaging.insights.models import CallingCode, DebuggerEvent, HealthThresholds
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
        row.refresh_from_db()
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


class MalformedDebuggerEvent(ValueError):
    """A debugger webhook without the fields Twilio sends."""


def debugger_event_record(*, tenant: Tenant, params: dict[str, str]) -> tuple[DebuggerEvent, bool]:
    """Keep an event Twilio's debugger posted about the tenant's subaccount (once per Sid); returns it and whether
    it was new. `Level` is ERROR or WARNING; `Payload` is JSON holding `error_code` and `more_info`."""
    sid = params.get("Sid", "").strip()
    level = params.get("Level", "").strip().lower()
    if not sid or len(sid) > 34 or level not in {"error", "warning"}:
        raise MalformedDebuggerEvent("a debugger event needs a Sid and a Level of ERROR or WARNING")
    try:
        payload = json.loads(params.get("Payload") or "{}")
    except json.JSONDecodeError as exc:
        raise MalformedDebuggerEvent("Payload is not JSON") from exc
    if not isinstance(payload, dict):
        raise MalformedDebuggerEvent("Payload is not a JSON object")
    code = payload.get("error_code")
    occurred = parse_datetime(params.get("Timestamp", "")) or timezone.now()
    if timezone.is_naive(occurred):
        occurred = timezone.make_aware(occurred, UTC)
    return DebuggerEvent.objects.get_or_create(
        sid=sid,
        defaults={
            "tenant": tenant,
            "level": level,
            "error_code": int(code) if str(code).isdigit() else None,
            "more_info": json.dumps(payload.get("more_info", ""))[:500],
            "payload": payload,
            "occurred_at": occurred,
        },
    )
