"""The Content-Security-Policy blocks nothing our pages need: every page of the tenant UI, the staff admin and
the API readers renders in Chromium without a single violation, and the pages that run scripts still work."""

from __future__ import annotations

import pytest

from tenants.models import Membership, Tenant, User
from tenants.services.memberships import membership_grant
from tests.browser.conftest import tenant_url

pytestmark = [pytest.mark.browser]

TENANT_PAGES = [
    "/",
    "/senders/",
    "/senders/wizard/",
    "/tools/segments/",
    "/tools/throughput/",
    "/settings/",
    "/api-keys/",
    "/audit/",
    "/team/",
    "/account/two-factor/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/tenants/tenant/",
    "/admin/tenants/tenant/add/",
    "/admin/tenants/tenant/acme/senders/",
    "/admin/catalogue/countryrule/",
    "/api/platform/schema/swagger/",
]


REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _watch_violations(page) -> list[str]:
    """Every CSP violation the pages report, as 'page CSP violation: directive blocked-URI'."""
    found: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )

    def record(message) -> None:
        if message.text.startswith("CSP violation"):
            found.append(f"{page.url} {message.text}")

    page.on("console", record)
    return found


def _sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.fill("#id_username", email)
    page.fill("#id_password", "switchboard-pass")
    page.click("[type=submit]")
    page.wait_for_load_state("networkidle")


def _owner_signed_in(live_server, page) -> list[str]:
    """Sign an owner of acme in on acme's host; returns the list the page's CSP violations go to."""
    owner = User.objects.create_user("owner@acme.test", "switchboard-pass")
    membership_grant(tenant=Tenant.objects.get(slug="acme"), user=owner, role=Membership.Role.OWNER)
    violations = _watch_violations(page)
    _sign_in(page, tenant_url(live_server, "acme", "/login/"), "owner@acme.test")
    return violations


def test_tenant_pages_and_api_readers_render_without_a_violation(committed_tenants, live_server, browser_page):
    # given an owner of acme, signed in
    page = browser_page
    violations = _owner_signed_in(live_server, page)

    # when every page is opened
    for path in TENANT_PAGES:
        response = page.goto(tenant_url(live_server, "acme", path))
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
    # and the API readers draw the schema
    page.goto(tenant_url(live_server, "acme", "/api/v1/schema/swagger/"))
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Switchboard API" in page.inner_text(".swagger-ui .info .title")
    redoc = tenant_url(live_server, "acme", "/api/v1/schema/redoc/")
    page.goto(redoc)
    page.wait_for_selector("h1")
    page.wait_for_load_state("networkidle")
    assert "Switchboard API" in page.inner_text("h1")

    # then nothing was blocked but ReDoc's own logo, which its bundle fetches from a CDN (and hides when refused)
    assert violations == [f"{redoc} CSP violation: img-src {REDOC_LOGO}"]


def test_the_segment_counter_still_asks_the_server(committed_tenants, live_server, browser_page):
    # given: the CSRF cookie is HttpOnly, so the script sends the token of the page's form
    page = browser_page
    violations = _owner_signed_in(live_server, page)
    page.goto(tenant_url(live_server, "acme", "/tools/segments/"))
    assert page.evaluate("document.cookie") == ""

    # when a UCS-2 message is typed
    page.fill("[data-testid=compose-body]", "Hello ☺")

    # then the server's count arrives
    page.wait_for_selector("[data-testid=segment-counter][data-encoding=UCS-2]")
    assert page.inner_text("[data-testid=segment-counter] [data-role=summary]") == "7 characters · UCS-2 · 1 segment"
    assert violations == []


def test_admin_pages_render_without_a_violation(committed_tenants, live_server, browser_page):
    # given a staff member, signed in to the admin
    User.objects.create_superuser("staff@switchboard.test", "switchboard-pass")
    page = browser_page
    violations = _watch_violations(page)
    _sign_in(page, f"{live_server.url}/admin/login/", "staff@switchboard.test")

    # when every page is opened
    acme = Tenant.objects.get(slug="acme").pk
    for path in [*ADMIN_PAGES, f"/admin/tenants/tenant/{acme}/change/", f"/admin/tenants/tenant/{acme}/support/"]:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path

    # then nothing was blocked
    assert violations == []


def test_staff_enter_support_mode_across_hosts(committed_tenants, live_server, browser_page, settings):
    # given: the form posts on the platform host and is answered with a redirect to the tenant's host, which
    # the policy's form-action must allow
    settings.PUBLIC_BASE_URL = live_server.url
    User.objects.create_superuser("staff@switchboard.test", "switchboard-pass")
    acme = Tenant.objects.get(slug="acme").pk
    page = browser_page
    violations = _watch_violations(page)
    _sign_in(page, f"{live_server.url}/admin/login/", "staff@switchboard.test")

    # when
    page.goto(f"{live_server.url}/admin/tenants/tenant/{acme}/support/")
    page.fill("#id_reason", "ticket 42")
    page.click("[data-testid=support-start] [type=submit]")

    # then
    page.wait_for_selector("[data-testid=support-banner]")
    assert page.url == tenant_url(live_server, "acme", "/")
    assert violations == []
