"""Campaigns on the insights pages: the dashboard's click-through tile, its table by campaign and, filtered to one
campaign, by variant; the CSV's click columns; a campaign's page shows its results per variant with the comparison
in words."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine

from messaging.models import Campaign
from messaging.services.insights import insights_squash
from tests.factories import in_tenant
from tests.fixtures.insights import T0, click

pytestmark = pytest.mark.django_db

NOW = T0 + timedelta(hours=3)


@pytest.fixture
def clicked(tenant_a, campaign_traffic):
    link, sent = campaign_traffic["link"], campaign_traffic["sent"]
    with in_tenant(tenant_a):
        for contact in sent["A"][:4]:  # the four delivered ones
            click(link, contact.pk, "A")
        Campaign.objects.filter(pk=campaign_traffic["campaign"].pk).update(
            state="completed", sender=campaign_traffic["sender"], launched_at=T0, finished_at=T0 + timedelta(hours=1)
        )
        insights_squash(tenant=tenant_a)
    return campaign_traffic["campaign"]


def get(client, url):
    with time_machine.travel(NOW, tick=False):
        return client.get(url)


@pytest.fixture
def owner_a(client_a, acme_member):
    client_a.force_login(acme_member("owner"))
    return client_a


def test_the_dashboard_shows_click_through_and_the_campaigns(owner_a, clicked):
    response = get(owner_a, "/insights/?start=2026-11-30&end=2026-11-30")
    html = response.content.decode()
    summary = response.context["summary"]
    assert (summary.clickers, summary.linked_delivered) == (4, 8)
    assert 'data-testid="figure-click-through">50.00 %</span> clicked (4 of 8 with links)' in html
    rows = [(key, name, f.messages, f.clickers) for key, name, f in response.context["by_campaign"]]
    assert rows == [(clicked.pk, clicked.name, 10, 4), (0, "Sent on their own", 2, 0)]
    assert f'<a href="/campaigns/{clicked.pk}/">{clicked.name}</a>' in html
    assert response.context["by_variant"] == []


def test_one_campaign_on_the_dashboard_is_shown_by_variant(owner_a, clicked):
    response = get(owner_a, f"/insights/?start=2026-11-30&end=2026-11-30&campaign={clicked.pk}")
    assert response.context["summary"].messages == 10
    assert [(label, f.delivered, f.clickers) for label, f in response.context["by_variant"]] == [
        ("A", 4, 4),
        ("B", 3, 0),
    ]
    assert 'data-testid="insights-variants"' in response.content.decode()


def test_the_csv_has_clickers_and_click_through(owner_a, clicked):
    response = get(owner_a, f"/insights/export.csv?start=2026-11-30&end=2026-11-30&campaign={clicked.pk}")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    total = dict(zip(header, rows[-1], strict=True))
    assert (total["bucket"], total["clickers"], total["click_through_rate_percent"]) == ("total", "4", "57.14")


def test_a_campaigns_page_shows_its_results_and_the_verdict(owner_a, clicked):
    response = get(owner_a, f"/campaigns/{clicked.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    rows = [(row["label"], row["figures"].messages, row["figures"].clickers) for row in response.context["results"]]
    assert rows == [("A", 5, 4), ("B", 5, 0)]
    # Click-through 4/4 against 0/3: z = -2.6458, p = 0.0082.
    assert "Click-through: B is 100.0 points lower than A (p = 0.008): significant at 95 %." in html
    assert "Delivery: Not significant yet (p = 0.49): 82 recipients per variant would show a difference this large" in (
        html
    )
