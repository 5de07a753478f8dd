"""An analyst opens Insights: the figures of the week, and charts drawn as SVG on the server that Chromium renders
with their titles (no script involved); the filters narrow them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from messaging.models import Message
from messaging.services.insights import insights_squash
from tenants.models import Membership, Tenant
from tests.browser.conftest import sign_in_member, tenant_url
from tests.factories import MessageFactory, SenderFactory, in_tenant

pytestmark = [pytest.mark.browser]


def test_the_dashboard_renders_its_svg_charts(committed_tenants, live_server, browser_page):
    # given a day of acme's traffic, squashed into the rollup
    acme = Tenant.objects.get(slug="acme")
    at = timezone.now() - timedelta(hours=2)
    with in_tenant(acme):
        sender = SenderFactory(tenant=acme, address="+14165550100", kind="toll_free")
        for index in range(10):
            message = MessageFactory(tenant=acme, sender=sender, to=f"+1416555020{index}", created_at=at)
            outcome = {"status": "delivered", "delivered_at": at} if index else {
                "status": "undelivered", "failed_at": at, "error_code": 30007}  # fmt: skip
            Message.objects.filter(pk=message.pk).update(sent_at=at, price=Decimal("-0.0079"), **outcome)
        insights_squash(tenant=acme)
    page = browser_page
    sign_in_member(page, live_server, slug="acme", email="analyst@acme.test", role=Membership.Role.ANALYST)
    # when the analyst opens Insights
    page.click("[data-testid=nav-insights]")
    page.wait_for_selector("h1:text('Insights')")
    # then the figures and five charts, each an accessible SVG image with a title
    assert page.inner_text("[data-testid=figure-messages]") == "10"
    assert page.inner_text("[data-testid=figure-error-rate]") == "10.00 %"
    charts = page.query_selector_all("svg.chart[role=img]")
    assert len(charts) == 5
    titles = [chart.eval_on_selector("title", "node => node.textContent") for chart in charts]
    assert titles == [
        "Messages per day",
        "Error and opt-out rate per day (%)",
        "Failed messages by error code",
        "Messages by sender",
        "Messages by country",
    ]
    volume = page.query_selector("[data-testid=chart-volume] svg")
    box = volume.bounding_box()
    assert box["width"] > 300 and box["height"] > 100  # drawn, not collapsed
    assert page.query_selector_all("[data-testid=chart-volume] circle") != []
    bar = page.query_selector("[data-testid=chart-errors] rect")
    assert bar.bounding_box()["width"] > 10
    assert bar.eval_on_selector("title", "node => node.textContent").startswith("30007 ")
    # when the analyst narrows to another sender type, nothing is left
    page.select_option("#id_sender_type", "short_code")
    page.click("[data-testid=insights-filters] button[type=submit]")
    page.wait_for_selector("[data-testid=figure-messages]:text('0')")
    assert "sender_type=short_code" in page.url
    assert page.url.startswith(tenant_url(live_server, "acme", "/insights/"))
