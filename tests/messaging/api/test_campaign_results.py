"""A campaign's insights on the API: the breakdown by campaign and by variant with click-through, the campaign and
variant filters, and a campaign's results with its variants compared; another tenant's key finds no such campaign."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from messaging.services.insights import insights_squash
from tests.factories import in_tenant
from tests.fixtures.insights import T0, click
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

NOW = T0 + timedelta(hours=3)
DAY = "start=2026-11-30&end=2026-11-30"


@pytest.fixture
def clicked(tenant_a, campaign_traffic):
    link, sent = campaign_traffic["link"], campaign_traffic["sent"]
    with in_tenant(tenant_a):
        for contact in sent["A"][:3]:
            click(link, contact.pk, "A")
        click(link, sent["A"][0].pk, "A", minutes=35)
        click(link, sent["B"][0].pk, "B")
        insights_squash(tenant=tenant_a)
    return campaign_traffic["campaign"]


def get(client, key, url):
    with time_machine.travel(NOW, tick=False):
        return call(client, key, "get", url)


def test_the_breakdown_by_campaign_names_it_and_gives_click_through(client_a, api_key_a, clicked):
    response = get(client_a, api_key_a, f"/api/v1/insights/breakdown?by=campaign&{DAY}")
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.json()["results"]}
    assert rows[str(clicked.pk)]["label"] == clicked.name
    assert rows["0"]["label"] == "Sent on their own"
    figures = rows[str(clicked.pk)]["figures"]
    assert (figures["messages"], figures["linked_delivered"], figures["clicks"], figures["clickers"]) == (10, 7, 5, 4)
    assert figures["click_through_rate"] == round(4 / 7, 6)


def test_the_variant_breakdown_of_one_campaign(client_a, api_key_a, clicked):
    response = get(client_a, api_key_a, f"/api/v1/insights/breakdown?by=variant&campaign={clicked.pk}&{DAY}")
    rows = {row["key"]: row["figures"] for row in response.json()["results"]}
    assert {key: (f["delivered"], f["failed"], f["clickers"], f["click_through_rate"]) for key, f in rows.items()} == {
        "A": (4, 1, 3, 0.75),
        "B": (3, 2, 1, round(1 / 3, 6)),
    }


def test_the_campaign_and_variant_filters_narrow_the_summary(client_a, api_key_a, clicked):
    response = get(client_a, api_key_a, f"/api/v1/insights/summary?campaign={clicked.pk}&variant=B&{DAY}")
    figures = response.json()["figures"]
    assert (figures["messages"], figures["delivered"], figures["clickers"], figures["opt_outs"]) == (5, 3, 1, 0)
    assert [(row["code"], row["count"]) for row in figures["errors"]] == [(30003, 1), (30007, 1)]


def test_a_sender_view_has_no_click_through(client_a, api_key_a, clicked):
    response = get(client_a, api_key_a, f"/api/v1/insights/breakdown?by=sender&{DAY}")
    assert [row["figures"]["click_through_rate"] for row in response.json()["results"]] == [None]


def test_a_campaigns_results_compare_the_variants(client_a, api_key_a, clicked):
    response = get(client_a, api_key_a, f"/api/v1/campaigns/{clicked.pk}/results")
    assert response.status_code == 200
    body = response.json()
    assert (body["campaign"], body["control"], body["figures"]["messages"]) == (clicked.pk, "A", 10)
    a, b = body["variants"]
    assert (a["label"], a["percent"], a["delivery"], a["click_through"]) == ("A", 50, None, None)
    assert b["delivery"] == {
        "control_rate": 0.8,
        "rate": 0.6,
        "difference": -0.2,
        "lift": -0.25,
        "z": -0.6901,
        "p_value": 0.490153,
        "significant": False,
        "needed_per_variant": 82,
        "more_needed": 77,
    }
    assert (b["click_through"]["control_rate"], b["click_through"]["rate"]) == (0.75, round(1 / 3, 6))
    assert b["click_through"]["significant"] is False


def test_another_tenants_key_finds_no_such_campaign(client_b, api_key_b, clicked):
    response = get(client_b, api_key_b, f"/api/v1/campaigns/{clicked.pk}/results")
    assert response.status_code == 404
