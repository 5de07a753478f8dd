"""Tenant hosts: sign-in only where the user has a membership; admin only on the platform host."""

import pytest

from tenants.models import AuditEvent, Membership, SupportSession, User
from tenants.services.memberships import membership_grant
from tests.factories.tenants import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_owner(tenant_a):
    user = User.objects.create_user("owner@acme.test", PASSWORD)
    membership_grant(tenant=tenant_a, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def globex_owner(tenant_b):
    user = User.objects.create_user("owner@globex.test", PASSWORD)
    membership_grant(tenant=tenant_b, user=user, role=Membership.Role.OWNER)
    return user


def test_member_signs_in_and_sees_the_dashboard(client_a, acme_owner):
    # when
    response = client_a.post("/login/", {"username": "owner@acme.test", "password": PASSWORD}, follow=True)
    # then
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200
    assert b'data-testid="tenant-name">Acme Appointments<' in response.content
    assert b'data-testid="contacts-count">0<' in response.content


def test_member_of_another_tenant_cannot_sign_in(client_a, globex_owner):
    response = client_a.post("/login/", {"username": "owner@globex.test", "password": PASSWORD})
    assert response.status_code == 200
    assert b"This account has no access to Acme Appointments." in response.content
    assert "_auth_user_id" not in client_a.session


def test_wrong_password_is_refused(client_a, acme_owner):
    response = client_a.post("/login/", {"username": "owner@acme.test", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client_a.session


def test_anonymous_dashboard_redirects_to_login(client_a):
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_session_from_another_tenant_does_not_open_this_one(client_a, globex_owner):
    # given a signed-in globex owner whose session cookie is replayed on acme's host
    client_a.force_login(globex_owner)
    # when
    response = client_a.get("/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_logout(client_a, acme_owner):
    client_a.force_login(acme_owner)
    response = client_a.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client_a.session


@pytest.mark.parametrize("path", ["/logout/", "/support/exit/"])
def test_signing_out_ends_a_support_session(public_client, client_a, tenant_a, path):
    # given a staff member in support mode on acme's host
    staff = User.objects.create_superuser("staff@switchboard.test", "pw-staff-1")
    public_client.force_login(staff)
    link = public_client.post(f"/admin/tenants/tenant/{tenant_a.pk}/support/", {"reason": "ticket 42"})["Location"]
    assert client_a.get(link.removeprefix("http://acme.localhost:8000"))["Location"] == "/"
    assert client_a.get("/").status_code == 200
    # when they sign out
    response = client_a.post(path)
    # then the support session is ended and audited, and the browser is signed out
    assert (response.status_code, response["Location"]) == (302, "/login/")
    session = SupportSession.objects.get(tenant=tenant_a)
    assert session.ended_at is not None
    assert list(
        AuditEvent.objects.filter(tenant=tenant_a, actor=staff).order_by("pk").values_list("action", flat=True)
    ) == ["support.started", "support.entered", "support.exited"]
    assert "_auth_user_id" not in client_a.session
    assert client_a.get("/")["Location"] == "/login/?next=/"


def test_signing_out_without_support_mode_audits_nothing(client_a, acme_owner):
    client_a.force_login(acme_owner)
    assert client_a.post("/logout/")["Location"] == "/login/"
    assert not AuditEvent.objects.filter(action="support.exited").exists()


def test_staff_sign_out_of_the_admin(public_client):
    staff = User.objects.create_superuser("staff@switchboard.test", "pw-staff-1")
    public_client.force_login(staff)
    response = public_client.post("/admin/logout/")
    assert response.status_code == 200
    assert "Logged out" in response.content.decode()
    assert "_auth_user_id" not in public_client.session
    assert public_client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_admin_only_on_platform_host(public_client, client_a):
    assert public_client.get("/admin/login/").status_code == 200
    assert client_a.get("/admin/login/").status_code == 404


def test_unknown_host_is_404(client):
    assert client.get("/", HTTP_HOST="nobody.localhost").status_code == 404
