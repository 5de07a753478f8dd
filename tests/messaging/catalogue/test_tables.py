"""The sender catalogue tables: seeded with the built-in facts, edited by staff, read back by the wizard."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.test import Client

from messaging.catalogue import selectors, services
from messaging.catalogue.models import CountryRule, SenderType, TrustTier
from messaging.domain.catalogue import DEFAULT_CATALOGUE
from tenants.models import User

pytestmark = pytest.mark.django_db


def test_the_seeded_tables_read_back_as_the_built_in_catalogue():
    assert (SenderType.objects.count(), CountryRule.objects.count(), TrustTier.objects.count()) == (
        len(DEFAULT_CATALOGUE.sender_types),
        len(DEFAULT_CATALOGUE.countries),
        len(DEFAULT_CATALOGUE.tendlc_tiers),
    )
    assert selectors.current_catalogue() == DEFAULT_CATALOGUE


def test_staff_edits_reach_the_lookups():
    SenderType.objects.filter(code="toll_free").update(default_mps=25)
    rule = CountryRule.objects.get(country="GB")
    rule.mps_overrides = {**rule.mps_overrides, "long_code": 30}
    rule.save()
    assert selectors.default_mps("toll_free", "US") == Decimal(25)
    assert selectors.default_mps("long_code", "GB") == Decimal(30)
    assert selectors.current_catalogue().mps_for("toll_free", "US") == 25


def test_seeding_again_keeps_staff_edits_unless_told_to_overwrite():
    SenderType.objects.filter(code="toll_free").update(label="Toll-free (verified)")
    assert services.catalogue_seed() == 0
    assert SenderType.objects.get(code="toll_free").label == "Toll-free (verified)"
    services.catalogue_seed(overwrite=True)
    assert selectors.current_catalogue() == DEFAULT_CATALOGUE


def test_empty_tables_fall_back_to_the_built_in_facts():
    SenderType.objects.all().delete()
    assert selectors.current_catalogue() is DEFAULT_CATALOGUE


def test_default_mps_by_kind_and_country():
    assert [
        selectors.default_mps("long_code", "US"),
        selectors.default_mps("long_code", "CA"),
        selectors.default_mps("long_code", "GB"),
        selectors.default_mps("toll_free", "US"),
        selectors.default_mps("short_code", "US"),
        selectors.default_mps("alphanumeric", "GB"),
    ] == [Decimal(1), Decimal(1), Decimal(10), Decimal(3), Decimal(100), Decimal(10)]


@pytest.fixture
def staff_client(public_client) -> Client:
    public_client.force_login(User.objects.create_superuser("staff@switchboard.test", "pw"))
    return public_client


def test_the_admin_refuses_an_edit_that_breaks_the_catalogue(staff_client):
    rule = CountryRule.objects.get(country="GB")
    page = staff_client.get(f"/admin/catalogue/countryrule/{rule.pk}/change/")
    assert page.status_code == 200
    data = {
        "country": "GB",
        "position": rule.position,
        "name": rule.name,
        "offered": '["short_code", "carrier_pigeon"]',
        "alphanumeric": rule.alphanumeric,
        "long_code_local": "on",
        "two_way_supported": "on",
        "mps_overrides": "{}",
        "lead_time_overrides": "{}",
        "unavailable": "{}",
        "extra_steps": "{}",
        "notes": "[]",
        "sources": "[]",
        "transactional_mps_overrides": "{}",
        "marketing_rules": "[]",
        "carrier_filtering": "{}",
        "carrier_share_percent": "{}",
    }
    response = staff_client.post(f"/admin/catalogue/countryrule/{rule.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "The catalogue would not be consistent: GB names unknown sender types: carrier_pigeon"
    ]
    rule.refresh_from_db()
    assert "carrier_pigeon" not in rule.offered


def test_the_facts_migration_updates_built_in_values_and_keeps_staff_edits():
    # given: rows as the first seeding left them, one of them since edited by staff
    migration = importlib.import_module("messaging.catalogue.migrations.0002_facts_read_2026_12_01")
    SenderType.objects.filter(code="a2p_10dlc").update(
        lead_time_min_days=0, lead_time_max_days=0, lead_time_business_days=False, lead_time_text="minutes"
    )
    SenderType.objects.filter(code="toll_free").update(lead_time_min_days=5, lead_time_max_days=7, lead_time_text="3w")
    TrustTier.objects.filter(code="low").update(tmobile_daily_cap=None)
    TrustTier.objects.filter(code="medium").update(tmobile_daily_cap=40_000)  # staff confirmed it with Twilio
    # when
    migration.refresh_built_in_facts(django_apps, None)
    # then: built-in values move to the facts read on 2026-12-01; the edited ones stay
    tendlc = SenderType.objects.get(code="a2p_10dlc")
    assert (tendlc.lead_time_min_days, tendlc.lead_time_max_days, tendlc.lead_time_business_days) == (10, 15, True)
    assert tendlc.lead_time_text == "10–15 business days"
    toll_free = SenderType.objects.get(code="toll_free")
    assert (toll_free.lead_time_min_days, toll_free.lead_time_max_days, toll_free.lead_time_text) == (10, 15, "3w")
    assert TrustTier.objects.get(code="low").tmobile_daily_cap == 2_000
    assert TrustTier.objects.get(code="medium").tmobile_daily_cap == 40_000


def test_new_facts_flow_from_the_tables_into_the_recommendation_lookups():
    rule = CountryRule.objects.get(country="BR")
    rule.transactional_mps_overrides = {"short_code": 200}
    rule.save()
    SenderType.objects.filter(code="a2p_10dlc").update(one_time_fee_usd=Decimal("64.50"), fees_read_on=date(2027, 1, 4))
    catalogue = selectors.current_catalogue()
    assert catalogue.mps_for("short_code", "BR", transactional=True) == 200
    fees = catalogue.sender_type("a2p_10dlc").fees
    assert (fees.one_time_usd, fees.read_on) == (Decimal("64.50"), date(2027, 1, 4))
    assert catalogue.country("US").carrier_share_percent == {"T-Mobile": 40}
