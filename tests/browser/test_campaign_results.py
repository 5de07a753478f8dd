"""An operator reads a finished A/B campaign's results: its figures per variant and the test's verdict in words on
the campaign's page, then the campaign on Insights, by variant, with its click-through."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import Campaign, CampaignVariant, LinkClick, Message, TrackedLink
from messaging.services.insights import insights_squash
from tenants.models import Membership, Tenant
from tests.browser.conftest import sign_in_member
from tests.factories import CampaignFactory, ContactFactory, MessageFactory, SenderFactory, in_tenant

pytestmark = [pytest.mark.browser]


def _finished_campaign(acme: Tenant) -> Campaign:
    """Variant A: 20 delivered, 12 of whom clicked; variant B: 20 delivered, 2 clicked."""
    at = timezone.now() - timedelta(hours=2)
    with in_tenant(acme):
        sender = SenderFactory(tenant=acme, address="+14165550100", kind="toll_free")
        campaign = CampaignFactory(tenant=acme, name="Winter offer", track_links=True)
        link = TrackedLink.objects.create(url="https://acme.test/winter", owner_kind="campaign", owner_id=campaign.pk)
        for label, clickers in (("A", 12), ("B", 2)):
            variant = CampaignVariant.objects.create(campaign=campaign, label=label, body="Hi", percent=50)
            for n in range(20):
                contact = ContactFactory(tenant=acme, phone_number=f"+1416555{ord(label)}{n:02d}")
                message = MessageFactory(tenant=acme, sender=sender, to=contact.phone_number, contact=contact,
                                         campaign=campaign, campaign_variant=variant, created_at=at)  # fmt: skip
                Message.objects.filter(pk=message.pk).update(status="delivered", sent_at=at, delivered_at=at)
                if n < clickers:
                    LinkClick.objects.create(link=link, recipient_ref=contact.pk, variant=label, clicked_at=at)
        Campaign.objects.filter(pk=campaign.pk).update(
            state="completed", sender=sender, created_at=at - timedelta(minutes=5), launched_at=at, finished_at=at
        )
        insights_squash(tenant=acme)
    return campaign


def test_a_campaigns_results_and_its_variants_on_insights(committed_tenants, live_server, browser_page):
    campaign = _finished_campaign(Tenant.objects.get(slug="acme"))
    page = browser_page
    sign_in_member(page, live_server, slug="acme", email="operator@acme.test", role=Membership.Role.OPERATOR)
    # when the operator opens the campaign from the campaign list
    page.click("[data-testid=nav-campaigns]")
    page.click(f"text={campaign.name}")
    page.wait_for_selector("[data-testid=campaign-results]")
    # then each variant's figures, and the verdict: 60 % against 10 % of 20 each is significant
    assert page.inner_text("[data-testid=result-A]").split("\t")[:7] == ["A", "20", "20", "100.00 %", "0", "12",
                                                                         "60.00 %"]  # fmt: skip
    assert page.inner_text("[data-testid=result-B]").split("\t")[5:7] == ["2", "10.00 %"]
    verdict = page.inner_text("[data-testid=verdict-B]")
    assert "Click-through: B is 50.0 points lower than A (p = 0.001): significant at 95 %." in verdict
    assert "Delivery: No difference between B and A so far." in verdict
    # when the operator opens Insights and picks the campaign
    page.click("[data-testid=nav-insights]")
    page.wait_for_selector("[data-testid=insights-campaigns]")
    page.select_option("#id_campaign", str(campaign.pk))
    page.click("[data-testid=insights-filters] button[type=submit]")
    page.wait_for_selector("[data-testid=insights-variants]")
    # then the campaign's click-through, and a row per variant
    assert page.inner_text("[data-testid=figure-click-through]") == "35.00 %"
    rows = page.inner_text("[data-testid=insights-variants] tbody").splitlines()
    assert [row.split("\t")[0] for row in rows] == ["A", "B"]
