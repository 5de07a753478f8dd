"""Rows of the catalogue tables to the domain's frozen dataclasses and back, field for field."""

from __future__ import annotations

from typing import Any

from messaging.catalogue.models import CountryRule, SenderType, TrustTier
from messaging.domain import catalogue as domain


def _lead_time(value: dict[str, Any] | None) -> domain.LeadTime | None:
    if value is None:
        return None
    return domain.LeadTime(
        int(value["min_days"]), int(value["max_days"]), bool(value.get("business_days", False)), value.get("text", "")
    )


def _lead_time_data(value: domain.LeadTime | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "min_days": value.min_days,
        "max_days": value.max_days,
        "business_days": value.business_days,
        "text": value.text,
    }


def sender_type_facts(row: SenderType) -> domain.SenderTypeFacts:
    lead_time = None
    if row.lead_time_min_days is not None:
        lead_time = domain.LeadTime(
            row.lead_time_min_days,
            row.lead_time_max_days if row.lead_time_max_days is not None else row.lead_time_min_days,
            row.lead_time_business_days,
            row.lead_time_text,
        )
    return domain.SenderTypeFacts(
        code=row.code,
        label=row.label,
        kind=row.kind,
        default_mps=row.default_mps,
        mps_text=row.mps_text,
        volume_limit_text=row.volume_limit_text,
        daily_volume_limit=row.daily_volume_limit,
        registration_route=domain.RegistrationRoute(row.registration_route),
        registration_text=row.registration_text,
        two_way=row.two_way,
        voice=row.voice,
        voice_text=row.voice_text,
        delivery_receipts=row.delivery_receipts,
        lead_time=lead_time,
        fees=domain.Fees(
            recurring=row.recurring_fee,
            recurring_text=row.recurring_fee_text,
            carrier=row.carrier_fee,
            carrier_text=row.carrier_fee_text,
            recurring_usd=row.recurring_fee_usd,
            carrier_usd=row.carrier_fee_usd,
            one_time_text=row.one_time_fee_text,
            one_time_usd=row.one_time_fee_usd,
            read_on=row.fees_read_on,
            source=row.fees_source,
        ),
        sender_is_local=row.sender_is_local,
        vetted=row.vetted,
        scales_with_senders=row.scales_with_senders,
        throughput_note=row.throughput_note,
        registration_steps=tuple(row.registration_steps),
        countries=frozenset(row.countries) if row.countries is not None else None,
        sources=tuple(row.sources),
    )


def sender_type_fields(facts: domain.SenderTypeFacts) -> dict[str, Any]:
    lead = facts.lead_time
    return {
        "label": facts.label,
        "kind": facts.kind,
        "default_mps": facts.default_mps,
        "mps_text": facts.mps_text,
        "volume_limit_text": facts.volume_limit_text,
        "daily_volume_limit": facts.daily_volume_limit,
        "registration_route": facts.registration_route.value,
        "registration_text": facts.registration_text,
        "registration_steps": list(facts.registration_steps),
        "two_way": facts.two_way,
        "voice": facts.voice,
        "voice_text": facts.voice_text,
        "delivery_receipts": facts.delivery_receipts,
        "lead_time_min_days": lead.min_days if lead else None,
        "lead_time_max_days": lead.max_days if lead else None,
        "lead_time_business_days": lead.business_days if lead else False,
        "lead_time_text": lead.text if lead else "",
        "recurring_fee": facts.fees.recurring,
        "recurring_fee_text": facts.fees.recurring_text,
        "recurring_fee_usd": facts.fees.recurring_usd,
        "carrier_fee": facts.fees.carrier,
        "carrier_fee_text": facts.fees.carrier_text,
        "carrier_fee_usd": facts.fees.carrier_usd,
        "one_time_fee_text": facts.fees.one_time_text,
        "one_time_fee_usd": facts.fees.one_time_usd,
        "fees_read_on": facts.fees.read_on,
        "fees_source": facts.fees.source,
        "sender_is_local": facts.sender_is_local,
        "vetted": facts.vetted,
        "scales_with_senders": facts.scales_with_senders,
        "throughput_note": facts.throughput_note,
        "countries": sorted(facts.countries) if facts.countries is not None else None,
        "sources": list(facts.sources),
    }


def country_rule(row: CountryRule) -> domain.CountryRule:
    return domain.CountryRule(
        country=row.country,
        name=row.name,
        offered=tuple(row.offered),
        alphanumeric=domain.AlphanumericSupport(row.alphanumeric),
        long_code_local=row.long_code_local,
        two_way_supported=row.two_way_supported,
        mps_overrides=dict(row.mps_overrides),
        lead_time_overrides={code: _lead_time(value) for code, value in row.lead_time_overrides.items()},
        unavailable=dict(row.unavailable),
        extra_steps={code: tuple(steps) for code, steps in row.extra_steps.items()},
        notes=tuple(row.notes),
        sources=tuple(row.sources),
        transactional_mps_overrides=dict(row.transactional_mps_overrides),
        marketing_rules=tuple(row.marketing_rules),
        carrier_filtering=dict(row.carrier_filtering),
        carrier_share_percent=dict(row.carrier_share_percent),
    )


def country_rule_fields(rule: domain.CountryRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "offered": list(rule.offered),
        "alphanumeric": rule.alphanumeric.value,
        "long_code_local": rule.long_code_local,
        "two_way_supported": rule.two_way_supported,
        "mps_overrides": dict(rule.mps_overrides),
        "lead_time_overrides": {code: _lead_time_data(value) for code, value in rule.lead_time_overrides.items()},
        "unavailable": dict(rule.unavailable),
        "extra_steps": {code: list(steps) for code, steps in rule.extra_steps.items()},
        "notes": list(rule.notes),
        "sources": list(rule.sources),
        "transactional_mps_overrides": dict(rule.transactional_mps_overrides),
        "marketing_rules": list(rule.marketing_rules),
        "carrier_filtering": dict(rule.carrier_filtering),
        "carrier_share_percent": dict(rule.carrier_share_percent),
    }


def trust_tier(row: TrustTier) -> domain.TenDlcTier:
    return domain.TenDlcTier(
        code=row.code,
        label=row.label,
        trust_score_min=row.trust_score_min,
        trust_score_max=row.trust_score_max,
        total_mps=row.total_mps,
        per_carrier_mps=dict(row.per_carrier_mps),
        tmobile_daily_cap=row.tmobile_daily_cap,
        notes=tuple(row.notes),
        sources=tuple(row.sources),
    )


def trust_tier_fields(tier: domain.TenDlcTier) -> dict[str, Any]:
    return {
        "label": tier.label,
        "trust_score_min": tier.trust_score_min,
        "trust_score_max": tier.trust_score_max,
        "total_mps": tier.total_mps,
        "per_carrier_mps": dict(tier.per_carrier_mps),
        "tmobile_daily_cap": tier.tmobile_daily_cap,
        "notes": list(tier.notes),
        "sources": list(tier.sources),
    }
