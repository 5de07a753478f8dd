"""Two-factor for ISV staff: with STAFF_REQUIRE_TWO_FACTOR on, the admin opens only once it is set up, on the
staff's own set-up page on the platform host, and it cannot be turned off."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pyotp
import pytest
from cryptography.fernet import Fernet

from tenants.errors import Conflict
from tenants.models import AuditEvent, User
from tenants.people import totp
from tenants.services.memberships import membership_grant

pytestmark = pytest.mark.django_db

STAFF_EMAIL = "staff@switchboard.test"
STAFF_PASSWORD = "pw-staff-1"
BASE_DIR = Path(__file__).resolve().parents[3]
REQUIRED_NOTE = "Two-factor sign-in is required for staff accounts, so it stays on."


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_superuser(STAFF_EMAIL, STAFF_PASSWORD, full_name="Staff")


@pytest.fixture
def required(settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = True


def _next_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30)


def _enable(user: User) -> str:
    secret = totp.totp_setup_start(user=user)
    totp.totp_enable(user=user, code=pyotp.TOTP(secret).now())
    return secret


def test_staff_without_two_factor_set_it_up_before_the_admin_opens(public_client, staff, required):
    # given a staff member signed in with email and password alone
    signed_in = public_client.post(
        "/admin/login/", {"username": STAFF_EMAIL, "password": STAFF_PASSWORD, "next": "/admin/"}
    )
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/admin/")
    # when they open admin pages
    pages = ["/admin/", "/admin/tenants/tenant/", "/admin/tenants/auditevent/", "/admin/password_change/"]
    answers = [public_client.get(page) for page in pages] + [public_client.post("/admin/tenants/tenant/", {})]
    # then each sends them to the set-up page
    assert [(answer.status_code, answer["Location"]) for answer in answers] == [(302, "/admin/two-factor/")] * 5
    page = public_client.get("/admin/two-factor/")
    assert page.status_code == 200
    assert 'data-testid="two-factor-required"' in page.content.decode()
    assert page.context["title"] == "Two-factor sign-in"
    # when they set it up
    started = public_client.post("/admin/two-factor/", {"action": "start"})
    secret = public_client.get("/admin/two-factor/").context["secret"]
    confirmed = public_client.post("/admin/two-factor/", {"action": "confirm", "code": pyotp.TOTP(secret).now()})
    # then it is on, audited on the platform, and the admin opens
    assert (started["Location"], confirmed["Location"]) == ("/admin/two-factor/", "/admin/two-factor/")
    staff.refresh_from_db()
    assert staff.has_two_factor is True
    assert list(AuditEvent.objects.filter(action="two_factor.enabled").values_list("tenant", "actor", "target")) == [
        (None, staff.pk, STAFF_EMAIL)
    ]
    done = public_client.get("/admin/two-factor/").content.decode()
    assert 'data-testid="continue-to-admin"' in done
    assert [public_client.get(page).status_code for page in pages] == [200] * 4


def test_signing_out_and_static_files_are_not_held_back(public_client, staff, required):
    public_client.force_login(staff)
    assert public_client.get("/static/admin/css/base.css").status_code == 200
    signed_out = public_client.post("/admin/logout/")
    assert signed_out.status_code == 200
    assert "_auth_user_id" not in public_client.session


def test_the_set_up_page_is_for_staff_only(public_client, acme_member):
    assert public_client.get("/admin/two-factor/")["Location"] == "/admin/login/?next=/admin/two-factor/"
    public_client.force_login(acme_member("owner"))
    assert public_client.get("/admin/two-factor/")["Location"] == "/admin/login/?next=/admin/two-factor/"


def test_staff_with_two_factor_cannot_turn_it_off_while_it_is_required(public_client, staff, required):
    # given
    secret = _enable(staff)
    public_client.force_login(staff)
    # when
    page = public_client.get("/admin/two-factor/")
    refused = public_client.post("/admin/two-factor/", {"action": "disable", "code": pyotp.TOTP(secret).now()})
    # then the page offers no way to turn it off, and the service refuses
    content = page.content.decode()
    assert REQUIRED_NOTE in content
    assert 'value="disable"' not in content
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"code": [REQUIRED_NOTE]}
    staff.refresh_from_db()
    assert staff.has_two_factor is True
    with pytest.raises(Conflict, match=REQUIRED_NOTE):
        totp.totp_disable(user=staff, code=pyotp.TOTP(secret).now())
    assert not AuditEvent.objects.filter(action="two_factor.disabled").exists()


def test_without_the_requirement_staff_open_the_admin_and_manage_two_factor_there(public_client, staff):
    # given the setting off (as in development and tests)
    public_client.force_login(staff)
    # when
    index = public_client.get("/admin/")
    # then the admin opens, with a link to the set-up page
    assert index.status_code == 200
    assert 'href="/admin/two-factor/" data-testid="admin-two-factor-link"' in index.content.decode()
    # and two-factor may be turned off again
    secret = _enable(staff)
    page = public_client.get("/admin/two-factor/").content.decode()
    assert 'value="disable"' in page
    disabled = public_client.post("/admin/two-factor/", {"action": "disable", "code": pyotp.TOTP(secret).at(0)})
    assert disabled.context["form"].errors == {"code": [totp.WRONG_CODE]}
    public_client.post("/admin/two-factor/", {"action": "disable", "code": _next_code(secret)})
    staff.refresh_from_db()
    assert staff.has_two_factor is False


def test_tenant_hosts_are_not_held_back(client_a, staff, tenant_a, required):
    # a staff member signed in on a tenant host (as support mode does) without two-factor
    membership_grant(tenant=tenant_a, user=staff, role="analyst")
    client_a.force_login(staff)
    assert client_a.get("/").status_code == 200
    assert client_a.get("/account/two-factor/").status_code == 200


def _production_setting(extra: dict[str, str]) -> str:
    env = {key: value for key, value in os.environ.items() if key != "STAFF_REQUIRE_TWO_FACTOR"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=Fernet.generate_key().decode() * 2,
        DATABASE_URL="postgres://u@db.example/switchboard",
        REDIS_URL="redis://cache.example:6379/0",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        PUBLIC_BASE_URL="https://sms.example",
        PLATFORM_DOMAIN="sms.example",
        TWILIO_ACCOUNT_SID="AC" + "1" * 32,
        TWILIO_AUTH_TOKEN="t" * 32,
        **extra,
    )
    code = "from django.conf import settings; print(settings.STAFF_REQUIRE_TWO_FACTOR)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


def test_production_requires_two_factor_for_staff_unless_told_otherwise(settings):
    assert settings.STAFF_REQUIRE_TWO_FACTOR is False  # development and tests
    assert _production_setting({}) == "True\n"
    assert _production_setting({"STAFF_REQUIRE_TWO_FACTOR": "false"}) == "False\n"
