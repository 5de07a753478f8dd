"""Every tenant UI page and API endpoint, enumerated from the URL configuration, checked for every role,
for anonymous callers and for members (or keys) of another tenant. A new page is covered automatically, and a
page that declares no permission fails here unless it is listed as public."""

from __future__ import annotations

import pytest

from tenants import keys, roles
from tenants.services.api_keys import api_key_create
from tests.fixtures.urls import named, sample_url

PUBLIC_UI_VIEWS = {"login", "logout", "support_enter", "support_exit"}
PUBLIC_UI_PREFIXES = ("password_reset", "invitation_", "login_code")


def _is_public(name: str) -> bool:
    return name in PUBLIC_UI_VIEWS or name.startswith(PUBLIC_UI_PREFIXES)


UI_PAGES = named("ui")
API_ENDPOINTS = named("api")


def test_every_ui_page_declares_a_permission_or_is_public():
    undeclared = [
        name for name, entry in UI_PAGES if not _is_public(name) and not hasattr(entry.callback, "required_permission")
    ]
    assert undeclared == []


def test_every_api_endpoint_declares_its_scopes():
    undeclared = [name for name, entry in API_ENDPOINTS if not hasattr(entry.callback.view_class, "required_scopes")]
    assert undeclared == []


def _request(client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


GUARDED_UI = [(name, entry) for name, entry in UI_PAGES if not _is_public(name)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ROLES)
@pytest.mark.parametrize(("name", "entry"), GUARDED_UI, ids=[name for name, _ in GUARDED_UI])
def test_ui_page_follows_the_matrix(client_a, acme_member, role, name, entry):
    # given
    client_a.force_login(acme_member(role))
    permission = entry.callback.required_permission
    # when
    response = _request(client_a, sample_url("ui", entry))
    # then
    if roles.role_allows(role, permission):
        assert response.status_code != 403, f"{role} must reach {name}"
        assert not response.get("Location", "").startswith("/login/")
    else:
        assert response.status_code == 403, f"{role} must not reach {name}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry"), GUARDED_UI, ids=[name for name, _ in GUARDED_UI])
def test_ui_page_sends_anonymous_to_login(client_a, name, entry):
    url = sample_url("ui", entry)
    response = _request(client_a, url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry"), GUARDED_UI, ids=[name for name, _ in GUARDED_UI])
def test_ui_page_refuses_a_member_of_another_tenant(client_a, globex_member, name, entry):
    client_a.force_login(globex_member("owner"))
    response = _request(client_a, sample_url("ui", entry))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def _api_calls():
    for name, entry in API_ENDPOINTS:
        view_class = entry.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view_class, method):
                yield pytest.param(name, entry, method, id=f"{name}-{method}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry", "method"), list(_api_calls()))
def test_api_endpoint_checks_scopes_and_tenant(client_a, tenant_a, tenant_b, name, entry, method):
    url = sample_url("api", entry)
    view_class = entry.callback.view_class
    required = set(getattr(view_class, "scopes_by_method", {}).get(method.upper(), view_class.required_scopes))
    call = getattr(client_a, method)
    # anonymous and another tenant's key: 401
    assert call(url, content_type="application/json").status_code == 401
    _, foreign = api_key_create(tenant=tenant_b, name="foreign")
    assert call(url, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {foreign}").status_code == 401
    # a key with every scope but the required ones: 403
    if required:
        others = [scope for scope in keys.SCOPES if scope not in required and scope != "admin"]
        _, lacking = api_key_create(tenant=tenant_a, name="lacking", scopes=others)
        response = call(url, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {lacking}")
        assert response.status_code == 403
    # a key with exactly the required scopes gets past authentication and permission
    _, exact = api_key_create(tenant=tenant_a, name="exact", scopes=sorted(required) or ["messages:read"])
    response = call(url, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {exact}")
    assert response.status_code not in (401, 403)


@pytest.mark.parametrize(
    ("permission", "allowed", "scope"),
    [
        ("compliance.view", {"owner", "admin", "operator", "analyst"}, "compliance:read"),
        ("optouts.manage", {"owner", "admin"}, "compliance:write"),
        ("compliance.manage", {"owner", "admin"}, "compliance:write"),
    ],
)
def test_the_compliance_permissions_and_their_scopes(permission, allowed, scope):
    assert {role for role in roles.ROLES if roles.role_allows(role, permission)} == allowed
    assert roles.SCOPE_FOR_PERMISSION[permission] == scope
    assert scope in keys.SCOPES
