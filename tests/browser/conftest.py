"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    """A fresh Chromium page; Django's ORM must not be used while it is open (it runs an event loop)."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # the page's event loop lives in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(30_000)  # a wait, not an assertion: a loaded machine renders slowly
        yield page
        browser.close()


def tenant_url(live_server, slug: str, path: str = "/") -> str:
    """The live server's URL on a tenant host (Chromium resolves *.localhost to the loopback)."""
    port = live_server.url.rsplit(":", 1)[1]
    return f"http://{slug}.localhost:{port}{path}"


def sign_in_member(page, live_server, *, slug: str, email: str, role: str) -> None:
    """Make `email` a member of the tenant `slug` with `role`, and sign in as them on the tenant's host."""
    from tenants.models import Tenant, User
    from tenants.services.memberships import membership_grant

    user = User.objects.create_user(email, "switchboard-pass")
    membership_grant(tenant=Tenant.objects.get(slug=slug), user=user, role=role)
    page.goto(tenant_url(live_server, slug, "/login/"))
    page.fill("#id_username", email)
    page.fill("#id_password", "switchboard-pass")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:text('Dashboard')")
