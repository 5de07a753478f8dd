"""Reads of the sender catalogue: the facts the wizard, the pools and provisioning work from."""

from __future__ import annotations

from decimal import Decimal

from messaging.catalogue import convert
from messaging.catalogue.models import CountryRule, SenderType, TrustTier
from messaging.domain.catalogue import DEFAULT_CATALOGUE, Catalogue

# The catalogue type a sender of each Sender.Kind is, when all that is known is its kind and country.
_TYPE_OF_KIND = {
    "short_code": "short_code",
    "a2p_10dlc": "a2p_10dlc",
    "toll_free": "toll_free",
    "alphanumeric": "alphanumeric_unregistered",
    "messaging_service": "messaging_service",
}


def current_catalogue() -> Catalogue:
    """The catalogue as ISV staff keep it; the built-in facts while the tables are still empty."""
    # Public tables: reachable from any tenant's search path.
    types = [convert.sender_type_facts(row) for row in SenderType.objects.all()]
    countries = [convert.country_rule(row) for row in CountryRule.objects.all()]
    tier_rows = list(TrustTier.objects.all())
    if not types or not tier_rows:
        return DEFAULT_CATALOGUE
    default_tier = next((row.code for row in tier_rows if row.is_default), tier_rows[-1].code)
    return Catalogue(
        sender_types=tuple(types),
        countries=tuple(countries),
        tendlc_tiers=tuple(convert.trust_tier(row) for row in tier_rows),
        default_tendlc_tier=default_tier,
    )


def default_mps(kind: str, country: str) -> Decimal:
    """The default outbound MPS of one sender of this kind towards its own country (1 when unknown)."""
    catalogue = current_catalogue()
    if kind == "long_code":
        rule = catalogue.country(country)
        if rule is not None and rule.mps_overrides.get("long_code"):
            return Decimal(rule.mps_overrides["long_code"])
        if country in ("US", "CA"):
            return Decimal(1)  # a US/CA long code sends 1 segment per second
        type_code = "international_long_code"
    else:
        type_code = _TYPE_OF_KIND.get(kind, kind)
    try:
        mps = catalogue.mps_for(type_code, country)
    except LookupError:
        mps = None
    return Decimal(mps if mps else 1)
