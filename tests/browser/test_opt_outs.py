"""An admin records an opt-out on the Compliance pages, finds it by its digits, lifts it with evidence, and sees
both events in the number's history."""

import pytest

from compliance.models import OptOutEvent, Suppression
from tenants.models import Membership, Tenant
from tests.browser.conftest import sign_in_member, tenant_url
from tests.factories import in_tenant

pytestmark = [pytest.mark.browser]


def test_an_admin_adds_finds_and_lifts_an_opt_out(committed_tenants, live_server, browser_page):
    # given an admin of acme, signed in
    page = browser_page
    sign_in_member(page, live_server, slug="acme", email="admin@acme.test", role=Membership.Role.ADMIN)
    # when the admin opens Compliance and adds an opt-out
    page.click("[data-testid=nav-compliance]")
    page.wait_for_selector("h1:text('Opt-outs')")
    assert page.inner_text("[data-testid=opt-outs] tbody") == "No number is opted out."
    page.click("[data-testid=add-opt-out] >> xpath=.. >> summary")
    page.fill("#id_number", "(415) 555-0123")
    page.fill("#id_evidence", "asked at the front desk")
    page.click("[data-testid=add-opt-out] button[type=submit]")
    # then the number's page says it is opted out
    page.wait_for_selector("h1:text('+14155550123')")
    assert page.inner_text("ul.flash") == "+14155550123 opted out."
    assert page.inner_text("[data-testid=opt-out-state]") == "Opted out of: tenant"
    # and the search finds it by its last digits
    page.click("[data-testid=nav-opt-outs]")
    page.fill("#id_q", "0123")
    page.click("[data-testid=opt-out-search] button[type=submit]")
    row = page.wait_for_selector("[data-testid='opt-out-+14155550123']")
    assert "Tenant UI" in row.inner_text()
    # when the admin lifts it with evidence
    page.click("[data-testid='opt-out-+14155550123'] a")
    page.fill("#id_evidence", "replied START on 1 March")
    page.click("[data-testid=lift-opt-out] button[type=submit]")
    # then both events are in the history, and nothing is in force
    page.wait_for_selector("[data-testid=opt-out-state]:text('Not opted out.')")
    assert page.url == tenant_url(live_server, "acme", "/compliance/opt-outs/+14155550123/")
    kinds = page.eval_on_selector_all(
        "[data-testid=opt-out-history] tbody tr", "rows => rows.map(r => r.dataset.testid)"
    )
    assert kinds == ["event-opt_in", "event-opt_out"]
    assert "replied START on 1 March" in page.inner_text("[data-testid=event-opt_in]")
    with in_tenant(Tenant.objects.get(slug="acme")):
        assert (OptOutEvent.objects.count(), Suppression.objects.count()) == (2, 0)
