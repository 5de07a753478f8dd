"""TOTP two-factor: set-up with a confirming code, the code step of signing in, disabling, replay and drift."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone

from tenants import crypto
from tenants.errors import ValidationFailed
from tenants.models import AuditEvent
from tenants.people import totp
from tests.tenants.people.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_owner(acme_owner):
    """acme's owner with two-factor on; returns (user, secret)."""
    secret = totp.totp_setup_start(user=acme_owner)
    totp.totp_enable(user=acme_owner, code=pyotp.TOTP(secret).now())
    return acme_owner, secret


def _code(secret: str, *, seconds_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(timezone.now() + timedelta(seconds=seconds_from_now))


# --- the settings page --------------------------------------------------------------------------------


def test_set_up_with_a_confirming_code(client_a, acme_member, tenant_a):
    # given an analyst (any member may use two-factor)
    user = acme_member("analyst")
    client_a.force_login(user)
    # when: start the set-up
    off = client_a.get("/account/two-factor/")
    started = client_a.post("/account/two-factor/", {"action": "start"})
    page = client_a.get("/account/two-factor/")
    # then: a secret is issued, stored encrypted, shown with an inline SVG QR code
    assert b"Two-factor sign-in is <strong>off</strong>" in off.content
    assert (started.status_code, started["Location"]) == (302, "/account/two-factor/")
    secret = page.context["secret"]
    user.refresh_from_db()
    assert user.totp_secret_encrypted != secret
    assert crypto.decrypt(user.totp_secret_encrypted) == secret
    assert user.has_two_factor is False
    assert page.context["qr_svg"].startswith("<svg")
    assert f'data-testid="totp-secret">{secret}<' in page.content.decode()
    # when: confirm with the app's current code
    confirmed = client_a.post(
        "/account/two-factor/", {"action": "confirm", "code": pyotp.TOTP(secret).now()}, follow=True
    )
    # then
    user.refresh_from_db()
    assert user.has_two_factor is True
    assert [str(m) for m in confirmed.context["messages"]] == [
        "Two-factor sign-in is on. You will be asked for a code each time you sign in."
    ]
    assert list(
        AuditEvent.objects.filter(tenant=tenant_a, action="two_factor.enabled").values_list("target", flat=True)
    ) == ["analyst@acme.test"]


def test_a_wrong_confirming_code_leaves_two_factor_off(client_a, acme_owner):
    client_a.force_login(acme_owner)
    client_a.post("/account/two-factor/", {"action": "start"})
    response = client_a.post("/account/two-factor/", {"action": "confirm", "code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": [totp.WRONG_CODE]}
    acme_owner.refresh_from_db()
    assert acme_owner.has_two_factor is False
    assert not AuditEvent.objects.filter(action="two_factor.enabled").exists()


def test_cancel_the_set_up(client_a, acme_owner):
    client_a.force_login(acme_owner)
    client_a.post("/account/two-factor/", {"action": "start"})
    client_a.post("/account/two-factor/", {"action": "cancel"})
    acme_owner.refresh_from_db()
    assert (acme_owner.totp_secret_encrypted, acme_owner.totp_enabled_at) == ("", None)


def test_disable_needs_a_current_code(client_a, two_factor_owner, tenant_a):
    user, secret = two_factor_owner
    client_a.force_login(user)
    refused = client_a.post("/account/two-factor/", {"action": "disable", "code": "123456"})
    user.refresh_from_db()
    assert refused.context["form"].errors == {"code": [totp.WRONG_CODE]}
    assert user.has_two_factor is True
    # when
    client_a.post("/account/two-factor/", {"action": "disable", "code": _code(secret, seconds_from_now=30)})
    # then
    user.refresh_from_db()
    assert (user.totp_secret_encrypted, user.totp_enabled_at) == ("", None)
    assert list(
        AuditEvent.objects.filter(tenant=tenant_a, action="two_factor.disabled").values_list("target", flat=True)
    ) == ["owner@acme.test"]


# --- verifying codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "accepted"), [(-60, False), (-30, True), (0, True), (30, True), (60, False)])
def test_one_step_of_clock_drift_is_allowed(two_factor_owner, offset, accepted):
    user, secret = two_factor_owner
    now = timezone.now() + timedelta(minutes=10)  # away from the step the set-up used
    code = pyotp.TOTP(secret).at(now + timedelta(seconds=offset))
    assert totp.totp_verify(user=user, code=code, now=now) is accepted


def test_a_code_is_accepted_once(two_factor_owner):
    user, secret = two_factor_owner
    now = timezone.now() + timedelta(minutes=5)  # a step the set-up did not use
    code = pyotp.TOTP(secret).at(now)
    assert totp.totp_verify(user=user, code=f" {code[:3]} {code[3:]} ", now=now) is True
    assert totp.totp_verify(user=user, code=code, now=now) is False


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef"])
def test_malformed_codes_are_refused(two_factor_owner, code):
    user, _ = two_factor_owner
    assert totp.totp_verify(user=user, code=code) is False


def test_enable_without_set_up_is_refused(acme_owner):
    with pytest.raises(ValidationFailed) as excinfo:
        totp.totp_enable(user=acme_owner, code="123456")
    assert excinfo.value.message == "Start the set-up first."


# --- signing in with a code ---------------------------------------------------------------------------


def test_sign_in_asks_for_the_code(client_a, two_factor_owner):
    user, secret = two_factor_owner
    # when: the password step
    password_step = client_a.post(
        "/login/?next=/team/", {"username": "owner@acme.test", "password": PASSWORD, "next": "/team/"}
    )
    # then: not signed in yet
    assert (password_step.status_code, password_step["Location"]) == (302, "/login/code/")
    assert "_auth_user_id" not in client_a.session
    assert client_a.get("/team/")["Location"] == "/login/?next=/team/"
    # when: a wrong code, then the right one
    code_page = client_a.get("/login/code/")
    wrong = client_a.post("/login/code/", {"code": "000000"})
    right = client_a.post("/login/code/", {"code": _code(secret, seconds_from_now=30)})
    # then
    assert b"owner@acme.test" in code_page.content
    assert wrong.context["form"].errors == {"code": [totp.WRONG_CODE]}
    assert (right.status_code, right["Location"]) == (302, "/team/")
    assert int(client_a.session["_auth_user_id"]) == user.pk
    assert client_a.get("/team/").status_code == 200


def test_the_code_page_without_a_password_step_goes_to_login(client_a):
    response = client_a.get("/login/code/")
    assert (response.status_code, response["Location"]) == (302, "/login/")


def test_the_password_step_expires_after_five_minutes(client_a, two_factor_owner, clock):
    _, secret = two_factor_owner
    client_a.post("/login/", {"username": "owner@acme.test", "password": PASSWORD})
    clock.advance(5 * 60 + 1)
    response = client_a.post("/login/code/", {"code": _code(secret, seconds_from_now=30)})
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert "_auth_user_id" not in client_a.session


def test_users_without_two_factor_sign_in_with_the_password_alone(client_a, acme_owner):
    response = client_a.post("/login/", {"username": "owner@acme.test", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert int(client_a.session["_auth_user_id"]) == acme_owner.pk
