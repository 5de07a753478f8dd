"""Password reset on a tenant host, end to end through the emailed link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tenants.models import AuditEvent, Invitation, Membership
from tenants.people import services
from tests.tenants.people.helpers import NEW_PASSWORD, PASSWORD, link_in, path_of

pytestmark = pytest.mark.django_db


def test_reset_end_to_end(client_a, acme_owner, tenant_a):
    # given
    uid = urlsafe_base64_encode(force_bytes(acme_owner.pk))
    # when: ask for the link
    asked = client_a.post("/password-reset/", {"email": "OWNER@acme.test"})
    # then: one email with a link on acme's host
    assert (asked.status_code, asked["Location"]) == (302, "/password-reset/sent/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@acme.test"]
    assert message.subject == "Reset your Acme Appointments password"
    link = link_in(message.body)
    assert re.fullmatch(rf"http://acme\.localhost:8000/password-reset/{uid}/[\w-]+/", link)
    # when: open the link and set a new password
    opened = client_a.get(path_of(link))
    set_password_path = opened["Location"]
    form_page = client_a.get(set_password_path)
    saved = client_a.post(set_password_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # then
    assert (opened.status_code, set_password_path) == (302, f"/password-reset/{uid}/set-password/")
    assert form_page.context["validlink"] is True
    assert (saved.status_code, saved["Location"]) == (302, "/password-reset/done/")
    assert b'data-testid="reset-complete"' in client_a.get("/password-reset/done/").content
    acme_owner.refresh_from_db()
    assert acme_owner.check_password(NEW_PASSWORD)
    assert not acme_owner.check_password(PASSWORD)
    assert list(
        AuditEvent.objects.filter(tenant=tenant_a, action="user.password_reset").values_list("target", flat=True)
    ) == ["owner@acme.test"]
    # and the new password signs in, while the link is spent
    signed_in = client_a.post("/login/", {"username": "owner@acme.test", "password": NEW_PASSWORD})
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")
    client_a.logout()
    assert client_a.get(path_of(link)).context["validlink"] is False


@pytest.mark.parametrize("email", ["nobody@example.test", "owner@globex.test"])
def test_unknown_or_foreign_addresses_get_the_same_answer_and_no_email(client_a, globex_member, email):
    globex_member("owner")
    response = client_a.post("/password-reset/", {"email": email}, follow=True)
    assert response.redirect_chain == [("/password-reset/sent/", 302)]
    assert b'data-testid="reset-sent"' in response.content
    assert mail.outbox == []


def test_a_link_for_a_member_of_another_tenant_is_invalid_here(client_a, globex_member):
    # given a valid reset token of a globex owner, opened on acme's host
    person = globex_member("owner")
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    # when
    response = client_a.get(f"/password-reset/{uid}/{token}/")
    # then
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert b'data-testid="reset-invalid"' in response.content


def test_the_reset_pages_render_for_anonymous_visitors(client_a):
    page = client_a.get("/password-reset/")
    assert page.status_code == 200
    assert b"Reset your password" in page.content
    assert client_a.get("/password-reset/sent/").status_code == 200


# --- people invited here who already have an account ---------------------------------------------------


def _invite_pat(tenant, now=None):
    return services.invitation_create(tenant=tenant, email="pat@globex.test", role="admin", invited_by=None, now=now)


def test_an_invited_existing_user_resets_the_password_and_accepts(client_a, globex_member, tenant_a):
    # given a globex analyst with a pending invitation to acme, who forgot the password
    person = globex_member("analyst", email="pat@globex.test")
    _, token = _invite_pat(tenant_a)
    # when: ask for the link on acme's host (the invitation page links here)
    asked = client_a.post("/password-reset/", {"email": "Pat@globex.test"})
    # then
    assert (asked.status_code, asked["Location"]) == (302, "/password-reset/sent/")
    assert [message.to for message in mail.outbox] == [["pat@globex.test"]]
    assert mail.outbox[0].subject == "Reset your Acme Appointments password"
    link = link_in(mail.outbox[0].body)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    assert re.fullmatch(rf"http://acme\.localhost:8000/password-reset/{uid}/[\w-]+/", link)
    # when: set a new password through the link, then accept with it
    set_password_path = client_a.get(path_of(link))["Location"]
    saved = client_a.post(set_password_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    accepted = client_a.post(f"/invitation/{token}/", {"password": NEW_PASSWORD})
    # then
    assert (saved.status_code, saved["Location"]) == (302, "/password-reset/done/")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert (accepted.status_code, accepted["Location"]) == (302, "/")
    assert Membership.objects.get(user=person, tenant=tenant_a).role == "admin"


@pytest.mark.parametrize("state", ["revoked", "expired", "other_tenant"])
def test_an_invitation_that_cannot_be_used_here_sends_no_link(client_a, globex_member, tenant_a, tenant_b, state):
    # given a globex analyst whose only acme invitation is revoked or expired, or who is invited to globex only
    globex_member("analyst", email="pat@globex.test")
    if state == "revoked":
        invitation, _ = _invite_pat(tenant_a)
        services.invitation_revoke(invitation=invitation, actor=None)
    elif state == "expired":
        _invite_pat(tenant_a, now=timezone.now() - timedelta(hours=72, seconds=1))
    else:
        Invitation.objects.create(
            tenant=tenant_b,
            email="pat@globex.test",
            role="admin",
            token_hash="x" * 64,
            expires_at=timezone.now() + timedelta(days=7),
        )
    # when
    response = client_a.post("/password-reset/", {"email": "pat@globex.test"}, follow=True)
    # then: the same answer, and no email
    assert response.redirect_chain == [("/password-reset/sent/", 302)]
    assert mail.outbox == []


# --- hourly limits on reset emails --------------------------------------------------------------------


def _ask(client, email: str):
    response = client.post("/password-reset/", {"email": email})
    return response.status_code, response["Location"]


def test_a_fourth_reset_email_within_the_hour_is_not_sent_and_the_page_says_the_same(
    client_a, client_b, acme_owner, tenant_b
):
    # given an owner of acme who is also a member of globex
    Membership.objects.create(user=acme_owner, tenant=tenant_b, role="analyst")
    # when: three links asked for on acme's host, then a fourth on acme's and a fifth on globex's
    answers = [_ask(client_a, "owner@acme.test") for _ in range(4)] + [_ask(client_b, "owner@acme.test")]
    # then: every answer is the same "sent" page; the account got three emails
    assert answers == [(302, "/password-reset/sent/")] * 5
    assert [message.to for message in mail.outbox] == [["owner@acme.test"]] * 3
    assert b'data-testid="reset-sent"' in client_a.get("/password-reset/sent/").content


def test_addresses_that_get_no_link_do_not_use_the_hourly_share(client_a, acme_owner):
    for _ in range(3):
        _ask(client_a, "nobody@example.test")
    _ask(client_a, "owner@acme.test")
    assert [message.to for message in mail.outbox] == [["owner@acme.test"]]


def test_a_tenant_host_sends_at_most_fifty_reset_emails_an_hour(client_a, client_b, acme_member, globex_member):
    # given fifty members of acme who each asked for a link
    for index in range(50):
        acme_member("analyst", email=f"person{index}@acme.test")
        assert _ask(client_a, f"person{index}@acme.test") == (302, "/password-reset/sent/")
    acme_member("owner")
    globex_member("owner")
    # when: one more member of acme asks, and a member of globex on globex's host
    answers = [_ask(client_a, "owner@acme.test"), _ask(client_b, "owner@globex.test")]
    # then: the same answer; acme's host sent no fifty-first email, globex's sent its first
    assert answers == [(302, "/password-reset/sent/")] * 2
    assert len(mail.outbox) == 51
    assert [message.to for message in mail.outbox[49:]] == [["person49@acme.test"], ["owner@globex.test"]]
