"""The sender catalogue tables: seeded with the built-in facts, edited by staff, read back by the wizard."""

from __future__ import annotations

from decimal import Decimal

import pytest
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
    }
    response = staff_client.post(f"/admin/catalogue/countryrule/{rule.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "The catalogue would not be consistent: GB names unknown sender types: carrier_pigeon"
    ]
    rule.refresh_from_db()
    assert "carrier_pigeon" not in rule.offered
