"""Signing in to the platform admin: the sign-in throttle and the two-factor code on the same form."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone

from tenants.models import User
from tenants.people import totp
from tenants.people.signin_forms import CODE_REQUIRED
from tests.tenants.people.helpers import PASSWORD

pytestmark = pytest.mark.django_db

STAFF_EMAIL = "staff@switchboard.test"
STAFF_PASSWORD = "pw-staff-1"
LOCKED = "Too many failed sign-ins. Try again in 15 minutes."
CODE_LOCKED = "Too many wrong two-factor codes. Try again in 15 minutes."


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_superuser(STAFF_EMAIL, STAFF_PASSWORD, full_name="Staff")


@pytest.fixture
def two_factor_staff(staff) -> tuple[User, str]:
    """The staff user with two-factor on; returns (user, secret)."""
    secret = totp.totp_setup_start(user=staff)
    totp.totp_enable(user=staff, code=pyotp.TOTP(secret).now())
    return staff, secret


def _sign_in(client, password: str = STAFF_PASSWORD, code: str | None = None, ip: str = "127.0.0.1"):
    data = {"username": STAFF_EMAIL, "password": password, "next": "/admin/"}
    if code is not None:
        data["code"] = code
    return client.post("/admin/login/", data, REMOTE_ADDR=ip)


def _next_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(timezone.now() + timedelta(seconds=30))


def test_the_login_page_has_a_code_field(public_client):
    response = public_client.get("/admin/login/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="admin-code-row"' in content
    assert 'name="code"' in content
    assert 'autocomplete="one-time-code"' in content


def test_staff_without_two_factor_sign_in_with_email_and_password(public_client, staff):
    response = _sign_in(public_client)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert int(public_client.session["_auth_user_id"]) == staff.pk
    assert public_client.get("/admin/").status_code == 200


def test_the_sixth_attempt_is_refused_even_with_the_right_password(public_client, staff, clock):
    # given four wrong passwords
    wrong = [_sign_in(public_client, password="wrong") for _ in range(4)]
    assert {tuple(r.context["form"].non_field_errors()) != (LOCKED,) for r in wrong} == {True}
    # when: the fifth failure locks, the sixth (right password) is refused
    fifth = _sign_in(public_client, password="wrong")
    sixth = _sign_in(public_client)
    # then
    assert fifth.context["form"].non_field_errors() == [LOCKED]
    assert sixth.status_code == 200
    assert sixth.context["form"].non_field_errors() == [LOCKED]
    assert f'<p class="errornote" data-testid="login-error">\n    {LOCKED}\n</p>' in sixth.content.decode()
    assert "_auth_user_id" not in public_client.session
    # after the lock the right password signs in
    clock.advance(15 * 60)
    assert _sign_in(public_client)["Location"] == "/admin/"
    assert int(public_client.session["_auth_user_id"]) == staff.pk


def test_the_admin_and_tenant_hosts_share_the_lock(public_client, client_a, acme_member, clock):
    # given five wrong passwords for a tenant user on acme's host
    acme_member("owner")
    for _ in range(5):
        client_a.post("/login/", {"username": "owner@acme.test", "password": "wrong"})
    # when the same email tries the admin from the same address
    response = public_client.post("/admin/login/", {"username": "owner@acme.test", "password": "wrong"})
    # then
    assert response.context["form"].non_field_errors() == [LOCKED]


def test_two_factor_staff_need_the_code(public_client, two_factor_staff, clock):
    user, secret = two_factor_staff
    # when: without a code, then with a wrong one
    without = _sign_in(public_client)
    wrong = _sign_in(public_client, code="000000")
    # then: refused on the code field, not signed in
    assert without.status_code == 200
    assert without.context["form"].errors == {"code": [CODE_REQUIRED]}
    assert wrong.context["form"].errors == {"code": [CODE_REQUIRED]}
    assert CODE_REQUIRED in wrong.content.decode()
    assert "_auth_user_id" not in public_client.session
    # when: with a current code
    right = _sign_in(public_client, code=_next_code(secret))
    # then
    assert (right.status_code, right["Location"]) == (302, "/admin/")
    assert int(public_client.session["_auth_user_id"]) == user.pk


def test_a_code_is_accepted_once(public_client, two_factor_staff, clock):
    _, secret = two_factor_staff
    code = _next_code(secret)
    assert _sign_in(public_client, code=code).status_code == 302
    public_client.logout()
    replay = _sign_in(public_client, code=code)
    assert replay.context["form"].errors == {"code": [CODE_REQUIRED]}
    assert "_auth_user_id" not in public_client.session


def test_wrong_codes_count_per_user_whatever_the_address(public_client, two_factor_staff, clock):
    _, secret = two_factor_staff
    # given nine wrong codes, each from another address
    for index in range(1, 10):
        refused = _sign_in(public_client, code="000000", ip=f"203.0.113.{index}")
        assert refused.context["form"].errors == {"code": [CODE_REQUIRED]}
    # when: the tenth locks the user's code step; then the right code from a fresh address
    tenth = _sign_in(public_client, code="000000", ip="203.0.113.10")
    right = _sign_in(public_client, code=_next_code(secret), ip="198.51.100.50")
    # then
    assert tenth.context["form"].non_field_errors() == [CODE_LOCKED]
    assert right.context["form"].non_field_errors() == [CODE_LOCKED]
    assert "_auth_user_id" not in public_client.session
    # after the lock
    clock.advance(15 * 60)
    assert _sign_in(public_client, code=_next_code(secret), ip="198.51.100.50")["Location"] == "/admin/"


def test_tenant_users_cannot_sign_in_to_the_admin(public_client, acme_member):
    acme_member("owner")
    response = public_client.post("/admin/login/", {"username": "owner@acme.test", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter the correct email and password for a staff account. Note that both fields may be case-sensitive."
    ]
    assert "_auth_user_id" not in public_client.session
