"""The tenant's compliance settings: read (briefly cached per process, for the send path) and changed."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import time as clock

from django.conf import settings as django_settings
from django.db import connection, transaction

from compliance.domain.rules import SENDABLE_CATEGORIES, Category
from compliance.errors import ComplianceValidationError
from compliance.models import ComplianceSettings
from tenants.audit import audit_record
from tenants.models import Tenant

CACHE_SECONDS = 1.0  # a change reaches every worker's send path within a second
NORTH_AMERICA = ("CA", "US")
EDITABLE = (
    "quiet_hours_enabled",
    "window_start",
    "window_end",
    "exempt_categories",
    "enabled_countries",
    "opt_out_scope",
    "revocation_action",
    "max_segments",
    "provider_reply_kinds",
    "removed_keywords",
    "lookup_on_import",
    "lookup_nightly",
)
SENDER_KINDS = ("long_code", "a2p_10dlc", "toll_free", "short_code", "messaging_service")

_cache: dict[str, tuple[float, ComplianceSettings]] = {}
_lock = threading.Lock()


def default_countries(default_country: str) -> list[str]:
    """A new tenant sends to its own country; North American tenants to the US and Canada, as Twilio's defaults."""
    return list(NORTH_AMERICA) if default_country in NORTH_AMERICA else [default_country]


def settings_get(*, tenant: Tenant | None = None) -> ComplianceSettings:
    """The current schema's settings, made with the defaults on first use."""
    found = ComplianceSettings.objects.filter(pk=1).first()
    if found is not None:
        return found
    country = tenant.default_country if tenant is not None else getattr(connection.tenant, "default_country", "US")
    defaults = {
        "enabled_countries": default_countries(country),
        "exempt_categories": list(getattr(django_settings, "COMPLIANCE_DEFAULT_EXEMPT_CATEGORIES", [])),
    }
    found, _ = ComplianceSettings.objects.get_or_create(pk=1, defaults=defaults)
    return found


def settings_cached(schema: str, *, tenant: Tenant | None = None) -> ComplianceSettings:
    """The settings of the current schema (`schema`), read at most once a second per process."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(schema)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    found = settings_get(tenant=tenant)
    with _lock:
        _cache[schema] = (now, found)
    return found


def settings_forget(schema: str) -> None:
    with _lock:
        _cache.pop(schema, None)


def settings_forget_all() -> None:
    with _lock:
        _cache.clear()


@dataclass(frozen=True)
class SettingsChange:
    field: str
    old: object
    new: object


def settings_update(*, tenant: Tenant, actor_label: str, actor=None, **changes) -> ComplianceSettings:
    """Change the settings named in `changes` (see EDITABLE); the change is audited with its old and new values."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ComplianceValidationError(f"unknown setting {sorted(unknown)[0]}", field=sorted(unknown)[0])
    cleaned = {name: _clean(name, value) for name, value in changes.items()}
    with transaction.atomic():
        settings_get(tenant=tenant)
        current = ComplianceSettings.objects.select_for_update().get(pk=1)
        diff = [SettingsChange(n, getattr(current, n), v) for n, v in cleaned.items() if getattr(current, n) != v]
        _check_window(cleaned.get("window_start", current.window_start), cleaned.get("window_end", current.window_end))
        for change in diff:
            setattr(current, change.field, change.new)
        current.updated_by = actor_label
        current.save()
        if diff:
            audit_record(
                action="compliance.settings_changed",
                tenant=tenant,
                actor=actor,
                actor_label=actor_label,
                target="compliance settings",
                details={c.field: [_show(c.old), _show(c.new)] for c in diff},
            )
    settings_forget(connection.schema_name)
    return current


def _clean(name: str, value):
    if name in ("exempt_categories",):
        allowed = {Category.TRANSACTIONAL.value, Category.PASSCODE.value}
        return _choices(name, value, allowed)
    if name == "enabled_countries":
        countries = sorted({str(c).strip().upper() for c in value})
        bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
        if bad or not countries:
            raise ComplianceValidationError(
                f"'{bad[0]}' is not an ISO country code" if bad else "enable at least one country", field=name
            )
        return countries
    if name == "provider_reply_kinds":
        return _choices(name, value, set(SENDER_KINDS))
    if name == "removed_keywords":
        from compliance.services.keywords import removable_defaults

        return _choices(name, [str(v).upper() for v in value], set(removable_defaults()))
    if name == "max_segments" and not (isinstance(value, int) and 1 <= value <= 100):
        raise ComplianceValidationError("the segment limit is a whole number from 1 to 100", field=name)
    if name in ("window_start", "window_end") and not isinstance(value, clock):
        raise ComplianceValidationError("give a time of day such as 08:00", field=name)
    return value


def _choices(name: str, values, allowed: set[str]) -> list[str]:
    chosen = sorted({str(v) for v in values})
    bad = [v for v in chosen if v not in allowed]
    if bad:
        raise ComplianceValidationError(f"'{bad[0]}' is not one of {', '.join(sorted(allowed))}", field=name)
    return chosen


def _check_window(start: clock, end: clock) -> None:
    if start == end:
        raise ComplianceValidationError("the window must not start and end at the same time", field="window_end")


def _show(value) -> object:
    return value.strftime("%H:%M") if isinstance(value, clock) else value


def exempt(settings: ComplianceSettings) -> frozenset[Category]:
    return frozenset(Category(c) for c in settings.exempt_categories if c in {c.value for c in SENDABLE_CATEGORIES})
