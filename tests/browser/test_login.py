import pytest

from tenants.models import Membership, Tenant, User
from tenants.services.memberships import membership_grant
from tests.browser.conftest import tenant_url

pytestmark = [pytest.mark.browser]


def test_owner_logs_in_to_acme_and_sees_the_dashboard(committed_tenants, live_server, browser_page):
    # given
    user = User.objects.create_user("owner@acme.test", "switchboard-pass")
    membership_grant(tenant=Tenant.objects.get(slug="acme"), user=user, role=Membership.Role.OWNER)
    page = browser_page
    # when
    page.goto(tenant_url(live_server, "acme"))
    page.fill("#id_username", "owner@acme.test")
    page.fill("#id_password", "switchboard-pass")
    page.click("button[type=submit]")
    # then
    page.wait_for_selector("h1:text('Dashboard')")
    assert page.url == tenant_url(live_server, "acme", "/")
    assert page.inner_text("[data-testid=tenant-name]") == "Acme Appointments"
    assert page.inner_text("[data-testid=user-email]") == "owner@acme.test"
    assert page.inner_text("[data-testid=contacts-count]") == "0"
