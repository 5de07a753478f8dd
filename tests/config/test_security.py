"""Browser protections on every response: the Content-Security-Policy (the API readers' own), the other security
headers, an HttpOnly CSRF cookie, and templates that keep their code out of the HTML so the policy can forbid it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tenants.models import User

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self' localhost:* *.localhost:*"
)
API_READER_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self' localhost:* *.localhost:*; worker-src 'self' blob:"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "path", "status"),
    [
        ("acme.localhost", "/login/", 200),
        ("acme.localhost", "/", 302),
        ("acme.localhost", "/api/v1/tenant", 401),
        ("localhost", "/admin/login/", 200),
        ("unknown.localhost", "/", 404),
        ("127.0.0.1", "/healthz", 200),
    ],
)
def test_every_response_carries_the_policy_and_the_security_headers(client, host, path, status):
    response = client.get(path, HTTP_HOST=host)

    assert response.status_code == status
    assert response["Content-Security-Policy"] == PAGE_POLICY
    assert (
        response["X-Content-Type-Options"],
        response["Referrer-Policy"],
        response["X-Frame-Options"],
        response["Cross-Origin-Opener-Policy"],
    ) == ("nosniff", "same-origin", "DENY", "same-origin")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("acme.localhost", "/api/v1/schema/swagger/"),
        ("acme.localhost", "/api/v1/schema/redoc/"),
        ("localhost", "/api/platform/schema/swagger/"),
    ],
)
def test_the_api_readers_get_their_own_policy_and_no_inline_script_or_cdn(client, host, path):
    response = client.get(path, HTTP_HOST=host)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == API_READER_POLICY
    html = response.content.decode()
    assert _inline_code(html) == []
    assert re.findall(r"(?:src|href)=\"(?:https?:)?//", html) == []


@pytest.mark.django_db
def test_swagger_ui_loads_its_start_up_script_from_our_origin(client):
    page = client.get("/api/v1/schema/swagger/", HTTP_HOST="acme.localhost").content.decode()
    (script_url,) = re.findall(r'<script src="(/api/v1/schema/swagger/\?[^"]*)"', page)

    script = client.get(script_url.replace("&amp;", "&"), HTTP_HOST="acme.localhost")

    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert 'url: "/api/v1/schema/"' in script.content.decode()


@pytest.mark.django_db
def test_the_admin_index_and_its_pages_carry_no_inline_style(public_client):
    public_client.force_login(User.objects.create_superuser("staff@switchboard.test", "pw-staff-1"))

    for path in ("/admin/", "/admin/tenants/tenant/", "/admin/tenants/tenant/acme/senders/"):
        response = public_client.get(path)
        assert response.status_code == 200, path
        assert _inline_code(response.content.decode()) == [], path


@pytest.mark.django_db
def test_the_csrf_cookie_is_http_only(client):
    response = client.get("/login/", HTTP_HOST="acme.localhost")

    cookie = response.cookies["csrftoken"]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")


def test_our_templates_hold_no_inline_script_style_or_handler_and_no_cdn():
    found = {
        str(path.relative_to(TEMPLATES)): _inline_code(path.read_text())
        for path in sorted(TEMPLATES.rglob("*.html"))
        if _inline_code(path.read_text())
    }
    cdn = {
        str(path.relative_to(TEMPLATES)): re.findall(r"(?:src|href)=\"(?:https?:)?//[^\"]*", path.read_text())
        for path in sorted(TEMPLATES.rglob("*.html"))
        if re.search(r"(?:src|href)=\"(?:https?:)?//", path.read_text())
    }

    assert (found, cdn) == ({}, {})


def _inline_code(html: str) -> list[str]:
    """Inline scripts, style elements and attributes, event handlers and javascript: URLs in `html`."""
    patterns = [
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>",
        r"<style\b[^>]*>",
        r"\sstyle=\"[^\"]*\"",
        r"\son[a-z]+=\"[^\"]*\"",
        r"javascript:",
    ]
    return [match for pattern in patterns for match in re.findall(pattern, html)]
