from datetime import timedelta

import pytest
from django.utils import timezone

from tenants.models import Membership
from tests.browser.conftest import sign_in_member

pytestmark = [pytest.mark.browser]


def test_an_admin_completes_the_wizard_for_the_acceptance_case_and_provisions_it(
    committed_tenants, live_server, browser_page
):
    # given an admin of acme, signed in
    go_live = (timezone.localdate() + timedelta(days=14)).isoformat()
    page = browser_page
    sign_in_member(page, live_server, slug="acme", email="admin@acme.test", role=Membership.Role.ADMIN)
    # when: one-time passcodes to the US and the UK, one-way, 50,000 a day peaking at 2,000 in 10 minutes,
    # live in 2 weeks
    page.click("[data-testid=nav-sender-wizard]")
    page.wait_for_selector("[data-testid=wizard-step-1]")
    page.check("input[name=use_case][value=otp]")
    page.check("input[name=two_way][value=false]")
    page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=wizard-step-2]")
    page.fill("#id_countries", "US, UK")
    page.fill("#id_daily_volume", "50000")
    page.fill("#id_peak_messages", "2000")
    page.fill("#id_peak_window_minutes", "10")
    page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=wizard-step-3]")
    page.fill("#id_go_live", go_live)
    page.click("[data-testid=next]")
    # then: a justified recommendation with warnings
    page.wait_for_selector("[data-testid=wizard-result]")
    assert page.inner_text("[data-testid=needed-mps]") == "4"
    assert page.inner_text("[data-testid=summary-countries]") == "US, GB"
    assert page.get_attribute("[data-testid=recommended-US]", "data-sender-type") == "a2p_10dlc"
    assert page.get_attribute("[data-testid=recommended-GB]", "data-sender-type") == "alphanumeric_unregistered"
    assert page.inner_text("[data-testid=recommended-GB]") == "Recommended: Alphanumeric sender ID (unregistered)"
    us_reasons = page.inner_text("[data-testid=option-US-1] ul.reasons")
    assert "One sender gives 12 MPS, enough for the 4 MPS needed at peak." in us_reasons
    warning_codes = page.eval_on_selector_all("li.warning", "items => items.map(item => item.dataset.code)")
    # no US sender is sure to be ready in 2 weeks (campaign vetting and toll-free verification take 10–15 business
    # days): the page says so first, with what to do meanwhile
    assert warning_codes[:4] == [
        "not_ready_by_go_live",
        "set_validity_period",
        "verification_product",
        "go_live_at_risk",
    ]
    assert page.is_visible("[data-testid=not-ready]")
    assert "Twilio Verify" in page.inner_text("[data-testid=meanwhile]")
    assert page.is_visible("[data-testid=option-GB-1] li.warning[data-code=alphanumeric_no_replies]")
    # when the plan is saved and provisioning starts
    page.fill("#id_name", "Passcodes")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=plan-name]")
    assert page.inner_text("[data-testid=plan-name]") == "Passcodes"
    assert page.input_value("#id_area_code_US") == "415"
    page.click("[data-testid=provision]")
    # then each country's sender is obtained and logged
    page.wait_for_selector("[data-testid=log-2]")
    assert page.inner_text("[data-testid=plan-status]") == "Provisioned"
    assert page.get_attribute("[data-testid=log-1]", "data-outcome") == "done"
    assert page.get_attribute("[data-testid=log-2]", "data-outcome") == "done"
    assert "as an A2P 10DLC sender, registration draft" in page.inner_text("[data-testid=log-1]")
    assert "Added the alphanumeric sender ID Acme" in page.inner_text("[data-testid=log-2]")
