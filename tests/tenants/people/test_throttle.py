"""Sign-in throttling: 5 failures per email and address lock the pair for 15 minutes; 20 per address lock it; 10 per
account, whatever the address, lock the account and tell its owner."""

from __future__ import annotations

import pyotp
import pytest
from django.core import mail
from django.utils import timezone

from tenants.models import AuditEvent, User
from tenants.people import notices, signin, throttle, totp
from tenants.services.memberships import membership_grant
from tests.tenants.people.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins. Try again in 15 minutes."


def _sign_in(client, email: str, password: str, ip: str = "127.0.0.1"):
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)


def _errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client_a, acme_owner, clock):
    # given four wrong passwords
    for _ in range(4):
        response = _sign_in(client_a, "owner@acme.test", "wrong")
        assert _errors(response) != [LOCKED]
    # when: the fifth failure locks, the sixth (right password) is refused
    fifth = _sign_in(client_a, "owner@acme.test", "wrong")
    sixth = _sign_in(client_a, "owner@acme.test", PASSWORD)
    # then
    assert _errors(fifth) == [LOCKED]
    assert sixth.status_code == 200
    assert _errors(sixth) == [LOCKED]
    assert f'data-testid="login-error">{LOCKED}<' in sixth.content.decode()
    assert "_auth_user_id" not in client_a.session
    # when: a minute before the end of the lock, and after it
    clock.advance(14 * 60)
    nearly = _sign_in(client_a, "owner@acme.test", PASSWORD)
    clock.advance(60)
    after = _sign_in(client_a, "owner@acme.test", PASSWORD)
    # then
    assert _errors(nearly) == ["Too many failed sign-ins. Try again in 1 minute."]
    assert (after.status_code, after["Location"]) == (302, "/")
    assert int(client_a.session["_auth_user_id"]) == acme_owner.pk


def test_a_successful_sign_in_clears_the_count(client_a, acme_owner, clock):
    for _ in range(4):
        _sign_in(client_a, "owner@acme.test", "wrong")
    assert _sign_in(client_a, "owner@acme.test", PASSWORD).status_code == 302
    client_a.logout()
    # four more failures do not lock: the count started again
    for _ in range(4):
        assert _errors(_sign_in(client_a, "owner@acme.test", "wrong")) != [LOCKED]
    assert _sign_in(client_a, "owner@acme.test", PASSWORD).status_code == 302


def test_the_lock_is_per_email_and_address(client_a, acme_owner, acme_admin, clock):
    for _ in range(5):
        _sign_in(client_a, "owner@acme.test", "wrong")
    # the same email from another address, and another email from the same address, still sign in
    other_address = _sign_in(client_a, "owner@acme.test", PASSWORD, ip="203.0.113.9")
    client_a.logout()
    other_email = _sign_in(client_a, "admin@acme.test", PASSWORD)
    assert (other_address.status_code, other_email.status_code) == (302, 302)


def test_the_lock_holds_on_every_tenant_host(client_a, client_b, acme_owner, tenant_b, clock):
    # given a person in both tenants, locked on acme's host
    membership_grant(tenant=tenant_b, user=acme_owner, role="analyst")
    for _ in range(5):
        _sign_in(client_a, "owner@acme.test", "wrong")
    # when
    response = _sign_in(client_b, "owner@acme.test", PASSWORD)
    # then
    assert _errors(response) == [LOCKED]
    assert "_auth_user_id" not in client_b.session


def test_one_address_guessing_many_accounts_is_locked(client_a, acme_owner, clock):
    # given 20 failures spread over five emails, four each (no pair reaches its limit)
    for index in range(5):
        for _ in range(4):
            throttle.signin_failure_record(email=f"guess{index}@acme.test", ip="198.51.100.7")
    # when the owner signs in from that address with the right password
    response = _sign_in(client_a, "owner@acme.test", PASSWORD, ip="198.51.100.7")
    # then
    assert _errors(response) == [LOCKED]
    assert _sign_in(client_a, "owner@acme.test", PASSWORD, ip="198.51.100.8").status_code == 302


def test_wrong_codes_count_towards_the_same_lock(client_a, acme_owner, clock):
    # given the owner with two-factor, past the password step
    secret = totp.totp_setup_start(user=acme_owner)
    totp.totp_enable(user=acme_owner, code=pyotp.TOTP(secret).now())
    assert _sign_in(client_a, "owner@acme.test", PASSWORD)["Location"] == "/login/code/"
    # when: five wrong codes
    for _ in range(4):
        assert client_a.post("/login/code/", {"code": "000000"}).status_code == 200
    locked = client_a.post("/login/code/", {"code": "000000"}, follow=True)
    # then: back to the sign-in page with the lock, the password step forgotten, the password refused
    assert locked.redirect_chain == [("/login/", 302)]
    assert [str(m) for m in locked.context["messages"]] == [LOCKED]
    assert client_a.get("/login/code/")["Location"] == "/login/"
    assert _errors(_sign_in(client_a, "owner@acme.test", PASSWORD)) == [LOCKED]
    assert "_auth_user_id" not in client_a.session
    # after the lock the code step works again
    clock.advance(15 * 60)
    _sign_in(client_a, "owner@acme.test", PASSWORD)
    code = pyotp.TOTP(secret).at(timezone.now(), counter_offset=1)
    assert client_a.post("/login/code/", {"code": code})["Location"] == "/"


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        (900, "Too many failed sign-ins. Try again in 15 minutes."),
        (61, "Too many failed sign-ins. Try again in 2 minutes."),
        (60, "Too many failed sign-ins. Try again in 1 minute."),
        (1, "Too many failed sign-ins. Try again in 1 minute."),
    ],
)
def test_lockout_message(seconds, message):
    assert throttle.Lockout(retry_after_seconds=seconds).message == message


def test_failures_under_the_limit_do_not_lock(clock):
    results = [throttle.signin_failure_record(email="a@b.test", ip="10.0.0.1") for _ in range(4)]
    assert results == [None, None, None, None]
    assert throttle.signin_lockout(email="A@B.test", ip="10.0.0.1") is None
    assert throttle.signin_failure_record(email="a@b.test", ip="10.0.0.1") == throttle.Lockout(900)
    clock.advance(100)
    assert throttle.signin_lockout(email="A@B.test ", ip="10.0.0.1") == throttle.Lockout(800)


# --- wrong codes per user, whatever the address -------------------------------------------------------

CODE_LOCKED = "Too many wrong two-factor codes. Try again in 15 minutes."


def test_wrong_codes_from_many_addresses_lock_the_users_code_step(client_a, acme_owner, clock):
    # given the owner with two-factor, past the password step
    secret = totp.totp_setup_start(user=acme_owner)
    totp.totp_enable(user=acme_owner, code=pyotp.TOTP(secret).now())
    assert _sign_in(client_a, "owner@acme.test", PASSWORD)["Location"] == "/login/code/"
    # when: nine wrong codes, each from another address (no pair and no address reaches its limit)
    rejected = [
        client_a.post("/login/code/", {"code": "000000"}, REMOTE_ADDR=f"203.0.113.{index}").status_code
        for index in range(1, 10)
    ]
    tenth = client_a.post("/login/code/", {"code": "000000"}, REMOTE_ADDR="203.0.113.10", follow=True)
    # then: the tenth locks the user's code step
    assert rejected == [200] * 9
    assert tenth.redirect_chain == [("/login/", 302)]
    assert [str(m) for m in tenth.context["messages"]] == [CODE_LOCKED]
    # when: the password again from a fresh address, then the right code
    assert _sign_in(client_a, "owner@acme.test", PASSWORD, ip="198.51.100.50")["Location"] == "/login/code/"
    right_code = pyotp.TOTP(secret).at(timezone.now(), counter_offset=1)
    refused = client_a.post("/login/code/", {"code": right_code}, REMOTE_ADDR="198.51.100.50", follow=True)
    # then: refused without being checked, and not signed in
    assert refused.redirect_chain == [("/login/", 302)]
    assert [str(m) for m in refused.context["messages"]] == [CODE_LOCKED]
    assert "_auth_user_id" not in client_a.session
    # after the lock the code step works again
    clock.advance(15 * 60)
    _sign_in(client_a, "owner@acme.test", PASSWORD, ip="198.51.100.50")
    accepted = client_a.post("/login/code/", {"code": right_code}, REMOTE_ADDR="198.51.100.50")
    assert (accepted.status_code, accepted["Location"]) == (302, "/")
    assert int(client_a.session["_auth_user_id"]) == acme_owner.pk


def test_the_code_lock_is_per_user(clock):
    for index in range(10):
        attempt = throttle.attempt_start(email="a@b.test", ip=f"10.0.0.{index}", user_id=1)
        last = throttle.attempt_failed(attempt)
    assert last == throttle.Lockout(900, throttle.CODE_FAILURES)
    assert throttle.attempt_start(email="a@b.test", ip="10.0.1.1", user_id=1).lockout == throttle.Lockout(
        900, throttle.CODE_FAILURES
    )
    assert throttle.attempt_start(email="c@d.test", ip="10.0.1.1", user_id=2).lockout is None
    # the password step of the same email is not locked by wrong codes from other addresses
    assert throttle.attempt_start(email="a@b.test", ip="10.0.1.1").lockout is None


# --- counted before the check ---------------------------------------------------------------------------


def test_a_burst_is_counted_before_any_check(clock):
    # given: seven attempts for one email and address start before any of them is checked
    attempts = [throttle.attempt_start(email="a@b.test", ip="10.0.0.1") for _ in range(7)]
    # then: only five may be checked; the rest are refused without counting
    assert [attempt.lockout for attempt in attempts] == [None] * 5 + [throttle.Lockout(900)] * 2
    # when: the five checked attempts fail, the fifth starts the lock
    assert [throttle.attempt_failed(attempt) for attempt in attempts[:5]] == [None] * 4 + [throttle.Lockout(900)]
    assert throttle.signin_lockout(email="a@b.test", ip="10.0.0.1") == throttle.Lockout(900)


def test_a_code_burst_is_counted_per_user_before_any_check(clock):
    attempts = [throttle.attempt_start(email="a@b.test", ip=f"10.0.0.{index}", user_id=7) for index in range(12)]
    assert [attempt.lockout for attempt in attempts] == [None] * 10 + [
        throttle.Lockout(900, "wrong two-factor codes")
    ] * 2


def test_a_right_password_gives_its_count_back(clock):
    # given four failures, then an attempt whose password is right
    for _ in range(4):
        throttle.signin_failure_record(email="a@b.test", ip="10.0.0.1")
    throttle.attempt_succeeded(throttle.attempt_start(email="a@b.test", ip="10.0.0.1"))
    # then the next failure is the fifth, which locks
    assert throttle.signin_failure_record(email="a@b.test", ip="10.0.0.1") == throttle.Lockout(900)


def test_a_password_is_not_checked_while_earlier_attempts_fill_the_limit(client_a, acme_owner, clock, monkeypatch):
    # given five attempts from this email and address still being checked
    held = [throttle.attempt_start(email="owner@acme.test", ip="127.0.0.1") for _ in range(5)]
    assert [attempt.lockout for attempt in held] == [None] * 5
    checked = []
    real_authenticate = signin.authenticate
    monkeypatch.setattr(signin, "authenticate", lambda *a, **kw: checked.append(kw) or real_authenticate(*a, **kw))
    # when the right password arrives
    response = _sign_in(client_a, "owner@acme.test", PASSWORD)
    # then it is refused without being checked
    assert _errors(response) == [LOCKED]
    assert checked == []
    assert "_auth_user_id" not in client_a.session


# --- wrong passwords per account, whatever the address ----------------------------------------------------

LOCK_NOTICE_BODY = """Hello,

Someone tried to sign in to your Switchboard account (owner@acme.test) with a wrong password 10 times within 15 \
minutes, the last time from 203.0.113.10. All of these attempts failed.

To protect the account, sign-in is paused for 15 minutes. It resumes by itself; you need to do nothing.

If this was you, wait and try again, or ask for a password reset on your sign-in page. If it was not you, consider \
choosing a new password and turning on two-factor sign-in.

"""


def test_guesses_spread_over_addresses_lock_the_account_and_tell_its_owner(
    client_a, acme_owner, acme_admin, clock, django_capture_on_commit_callbacks
):
    # given nine wrong passwords, each from another address (no pair and no address reaches its limit)
    for index in range(1, 10):
        response = _sign_in(client_a, "owner@acme.test", "wrong", ip=f"203.0.113.{index}")
        assert _errors(response) != [LOCKED]
    assert mail.outbox == []
    # when: the tenth, from yet another address
    with django_capture_on_commit_callbacks(execute=True):
        tenth = _sign_in(client_a, "owner@acme.test", "wrong", ip="203.0.113.10")
    # then the account is locked, whatever the address, and its owner is told once
    assert _errors(tenth) == [LOCKED]
    fresh_address = _sign_in(client_a, "owner@acme.test", PASSWORD, ip="198.51.100.77")
    assert _errors(fresh_address) == [LOCKED]
    assert "_auth_user_id" not in client_a.session
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["owner@acme.test"], "Sign-in to your Switchboard account is paused")
    ]
    assert mail.outbox[0].body == LOCK_NOTICE_BODY
    assert list(
        AuditEvent.objects.filter(action="user.signin_locked").values_list("tenant", "target", "ip_address")
    ) == [(None, "owner@acme.test", "203.0.113.10")]
    # and another account signs in from those addresses meanwhile
    other = _sign_in(client_a, "admin@acme.test", PASSWORD, ip="203.0.113.10")
    assert (other.status_code, other["Location"]) == (302, "/")
    client_a.logout()
    # the lock ends by itself
    clock.advance(15 * 60)
    after = _sign_in(client_a, "owner@acme.test", PASSWORD, ip="198.51.100.77")
    assert (after.status_code, after["Location"]) == (302, "/")
    assert int(client_a.session["_auth_user_id"]) == acme_owner.pk
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("email", ["owner@acme.test", "nobody@acme.test"])
def test_the_guesser_cannot_tell_whether_the_account_exists(
    client_a, acme_owner, clock, monkeypatch, django_capture_on_commit_callbacks, email
):
    # given the notice task recorded instead of run
    enqueued = []
    monkeypatch.setattr(signin.signin_lock_notice, "delay", lambda **kwargs: enqueued.append(kwargs))
    # when ten wrong passwords arrive for an email, from ten addresses
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_sign_in(client_a, email, "wrong", ip=f"203.0.113.{index}") for index in range(1, 11)]
    # then the answers are those of any email, and the notice is enqueued either way (the task decides)
    invalid = ["Please enter a correct email and password. Note that both fields may be case-sensitive."]
    assert [_errors(response) for response in responses] == [invalid] * 9 + [[LOCKED]]
    assert {response.status_code for response in responses} == {200}
    assert enqueued == [{"email": email, "ip_address": "203.0.113.10"}]
    assert mail.outbox == []


def test_the_notice_goes_only_to_an_active_account(acme_owner):
    # an unknown email and an inactive account get nothing; an active one is told (case and spaces ignored)
    assert notices.signin_lock_notice_send(email="nobody@acme.test", ip_address="203.0.113.10") is False
    User.objects.filter(pk=acme_owner.pk).update(is_active=False)
    assert notices.signin_lock_notice_send(email="owner@acme.test", ip_address="203.0.113.10") is False
    assert (mail.outbox, list(AuditEvent.objects.filter(action="user.signin_locked"))) == ([], [])
    User.objects.filter(pk=acme_owner.pk).update(is_active=True)
    assert notices.signin_lock_notice_send(email=" Owner@ACME.test", ip_address=None) is True
    assert [message.to for message in mail.outbox] == [["owner@acme.test"]]
    assert "the last time from an unknown address." in mail.outbox[0].body


def test_the_account_lock_counts_passwords_per_email_whatever_the_address(clock):
    results = []
    for index in range(10):
        attempt = throttle.attempt_start(email="a@b.test", ip=f"10.0.0.{index}")
        results.append(throttle.attempt_failed(attempt))
    assert results == [None] * 9 + [throttle.Lockout(900, account_locked=True)]
    # refused from any address (without saying which lock holds), for that email only
    assert throttle.attempt_start(email=" A@B.test", ip="10.0.1.1").lockout == throttle.Lockout(900)
    assert throttle.signin_lockout(email="a@b.test", ip="10.0.1.2") == throttle.Lockout(900)
    assert throttle.attempt_start(email="c@d.test", ip="10.0.1.1").lockout is None
    # the lock ends by itself
    clock.advance(15 * 60)
    assert throttle.attempt_start(email="a@b.test", ip="10.0.1.1").lockout is None


def test_an_account_burst_is_counted_before_any_check(clock):
    attempts = [throttle.attempt_start(email="a@b.test", ip=f"10.0.0.{index}") for index in range(12)]
    assert [attempt.lockout for attempt in attempts] == [None] * 10 + [throttle.Lockout(900)] * 2
    failures = [throttle.attempt_failed(attempt) for attempt in attempts[:10]]
    assert failures == [None] * 9 + [throttle.Lockout(900, account_locked=True)]


def test_wrong_codes_do_not_count_towards_the_account_lock(clock):
    # nine wrong codes and nine wrong passwords, from many addresses: neither limit of ten is reached
    for index in range(9):
        throttle.attempt_failed(throttle.attempt_start(email="a@b.test", ip=f"10.0.0.{index}", user_id=1))
        throttle.attempt_failed(throttle.attempt_start(email="a@b.test", ip=f"10.0.1.{index}"))
    assert throttle.attempt_start(email="a@b.test", ip="10.0.2.1").lockout is None


# --- emails anyone can cause --------------------------------------------------------------------------------


def test_an_email_held_back_gives_its_counts_back():
    # given three reset emails to one address, then five more held back
    results = [throttle.reset_email_reserve(email="a@b.test", tenant_id=1) for _ in range(8)]
    assert results == [None] * 3 + [throttle.ADDRESS_LIMIT] * 5
    # then the tenant has used three of its fifty
    others = [throttle.reset_email_reserve(email=f"p{index}@b.test", tenant_id=1) for index in range(48)]
    assert others == [None] * 47 + [throttle.TENANT_LIMIT]
    # another tenant's host has its own fifty, but the account's three are spent there too
    assert throttle.reset_email_reserve(email="p0@b.test", tenant_id=2) is None
    assert throttle.reset_email_reserve(email="A@B.test ", tenant_id=2) == throttle.ADDRESS_LIMIT


def test_invitation_emails_count_per_address_within_the_tenant():
    assert [throttle.invitation_email_reserve(email="a@b.test", tenant_id=1) for _ in range(4)] == [None] * 3 + [
        throttle.ADDRESS_LIMIT
    ]
    assert throttle.invitation_email_reserve(email="a@b.test", tenant_id=2) is None
    # reset emails are counted apart from invitations
    assert throttle.reset_email_reserve(email="a@b.test", tenant_id=1) is None
