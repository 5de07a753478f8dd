"""Writes to the sender catalogue: seeding it from the built-in facts, never overwriting what staff edited."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from messaging.catalogue import convert
from messaging.catalogue.models import CountryRule, SenderType, TrustTier
from messaging.domain.catalogue import DEFAULT_CATALOGUE, Catalogue

logger = logging.getLogger(__name__)


def catalogue_seed(catalogue: Catalogue = DEFAULT_CATALOGUE, *, overwrite: bool = False) -> int:
    """Add the catalogue's sender types, countries and tiers that are missing; returns how many rows were written.

    With `overwrite`, rows that exist are reset to the given facts (staff edits are lost).
    """
    written = 0
    with transaction.atomic():
        for position, facts in enumerate(catalogue.sender_types):
            written += _put(
                SenderType, {"code": facts.code}, convert.sender_type_fields(facts) | {"position": position}, overwrite
            )
        for position, rule in enumerate(catalogue.countries):
            fields = convert.country_rule_fields(rule) | {"position": position}
            written += _put(CountryRule, {"country": rule.country}, fields, overwrite)
        for position, tier in enumerate(catalogue.tendlc_tiers):
            fields = convert.trust_tier_fields(tier) | {
                "position": position,
                "is_default": tier.code == catalogue.default_tendlc_tier,
            }
            written += _put(TrustTier, {"code": tier.code}, fields, overwrite)
    return written


def _put(model, key: dict, fields: dict, overwrite: bool) -> int:
    if overwrite:
        model.objects.update_or_create(**key, defaults=fields)
        return 1
    _, created = model.objects.get_or_create(**key, defaults=fields)
    return int(created)


def seed_after_migrate(sender, **kwargs) -> None:
    """post_migrate: fill an empty or partial catalogue once the public schema has its tables."""
    if connection.schema_name != get_public_schema_name():
        return
    written = catalogue_seed()
    if written:
        logger.info("sender catalogue: %d rows seeded", written)
