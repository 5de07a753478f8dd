"""People services: invitations created, accepted and revoked, and the first owner invited with a new tenant."""

from __future__ import annotations

import hashlib
import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tenants.errors import Conflict, ValidationFailed
from tenants.models import Invitation, Membership, User
from tenants.people import selectors, services
from tenants.people.errors import InvitationInvalid, NotAllowed, TooManyEmails
from tenants.services.lifecycle import tenant_create
from tests.tenants.people.helpers import NEW_PASSWORD, PASSWORD, link_in
from tests.tenants.people.service_helpers import audit_of, invite

pytestmark = pytest.mark.django_db


# --- invitation_create --------------------------------------------------------------------------------


def test_invitation_stores_only_the_hash_and_emails_the_link_on_commit(
    tenant_a, acme_owner, settings, django_capture_on_commit_callbacks
):
    # given
    settings.PUBLIC_BASE_URL = "http://localhost:8000"
    now = timezone.now()
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation, token = invite(tenant_a, acme_owner, email=" New.Person@Example.TEST ", now=now)
        assert mail.outbox == []  # nothing leaves before the commit
    # then
    assert len(callbacks) == 1
    invitation.refresh_from_db()
    assert invitation.email == "new.person@example.test"
    assert invitation.role == "operator"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.expires_at == now + timedelta(hours=72)
    assert invitation.invited_by == acme_owner
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.test"]
    assert message.subject == "You're invited to Acme Appointments on Switchboard"
    assert message.from_email == "Switchboard <no-reply@localhost>"
    assert link_in(message.body) == f"http://acme.localhost:8000/invitation/{token}/"
    assert "owner@acme.test invited you to join Acme Appointments on Switchboard as operator." in message.body
    assert "Accept the invitation here (the link works once and expires in 72 hours):" in message.body
    assert audit_of(tenant_a, "invitation.created") == [
        {
            "actor_label": "owner@acme.test",
            "target": "new.person@example.test",
            "details": {"role": "operator", "replaced": 0},
        }
    ]


def test_no_email_when_the_transaction_does_not_commit(tenant_a, acme_owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(tenant_a, acme_owner)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_mail_server_failure_is_logged_and_the_invitation_kept(
    tenant_a, acme_owner, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    # given a mail server that refuses
    def refuse(**kwargs):
        raise smtplib.SMTPException("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(tenant_a, acme_owner)
    # then the invitation stands, the failure is logged, and the token is not
    assert Invitation.objects.get().pk == invitation.pk
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert [record.getMessage() for record in errors] == [
        "Error calling invitation_create.<locals>.send in on_commit() (mail server down)."
    ]
    assert token not in caplog.text


def test_inviting_again_replaces_the_pending_invitation(tenant_a, acme_owner):
    # given
    first, first_token = invite(tenant_a, acme_owner)
    # when
    second, _ = invite(tenant_a, acme_owner, role="analyst")
    # then
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert selectors.invitations_pending(tenant_a) == [second]
    with pytest.raises(InvitationInvalid) as excinfo:
        services.invitation_accept(token=first_token, full_name="New Person", password=NEW_PASSWORD)
    assert excinfo.value.reason == "revoked"
    assert audit_of(tenant_a, "invitation.created")[0]["details"] == {"role": "analyst", "replaced": 1}


def test_an_existing_member_cannot_be_invited(tenant_a, acme_owner, acme_member):
    acme_member("analyst", email="ann@acme.test")
    with pytest.raises(Conflict) as excinfo:
        invite(tenant_a, acme_owner, email="Ann@acme.test")
    assert excinfo.value.message == "ann@acme.test is already a member of Acme Appointments."
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize(
    ("email", "role", "error", "message"),
    [
        ("not-an-email", "operator", ValidationFailed, "'not-an-email' is not an email address."),
        ("a@example.test", "boss", ValidationFailed, "Role must be one of owner, admin, operator, analyst."),
    ],
)
def test_invitation_input_is_validated(tenant_a, acme_owner, email, role, error, message):
    with pytest.raises(error) as excinfo:
        invite(tenant_a, acme_owner, email=email, role=role)
    assert excinfo.value.message == message
    assert Invitation.objects.count() == 0


def test_admin_may_invite_but_not_an_owner(tenant_a, acme_admin):
    invitation, _ = invite(tenant_a, acme_admin, role="admin")
    assert invitation.role == "admin"
    with pytest.raises(NotAllowed) as excinfo:
        invite(tenant_a, acme_admin, email="boss@example.test", role="owner")
    assert excinfo.value.message == "Only owners may grant or remove the owner role."
    assert list(Invitation.objects.values_list("email", flat=True)) == ["new.person@example.test"]


@pytest.mark.parametrize("role", ["operator", "analyst"])
def test_members_without_team_manage_cannot_invite(tenant_a, acme_member, role):
    with pytest.raises(NotAllowed) as excinfo:
        invite(tenant_a, acme_member(role))
    assert excinfo.value.message == "Your role does not allow managing the team."
    assert Invitation.objects.count() == 0


def test_a_member_of_another_tenant_cannot_invite(tenant_a, globex_member):
    with pytest.raises(NotAllowed):
        invite(tenant_a, globex_member("owner"))
    assert Invitation.objects.count() == 0


# --- invitation_accept --------------------------------------------------------------------------------


def test_accept_creates_the_account_and_the_membership(tenant_a, acme_owner):
    # given
    invitation, token = invite(tenant_a, acme_owner)
    # when
    membership = services.invitation_accept(
        token=token, tenant=tenant_a, full_name=" New Person ", password=NEW_PASSWORD
    )
    # then
    user = User.objects.get(email="new.person@example.test")
    assert membership.user == user
    assert (membership.tenant, membership.role) == (tenant_a, "operator")
    assert user.full_name == "New Person"
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert audit_of(tenant_a, "invitation.accepted") == [
        {
            "actor_label": "new.person@example.test",
            "target": "new.person@example.test",
            "details": {"role": "operator", "new_account": True},
        }
    ]


def test_accept_by_an_existing_user(tenant_a, tenant_b, acme_owner, globex_member):
    # given a globex analyst invited to acme
    person = globex_member("analyst", email="pat@globex.test")
    _, token = invite(tenant_a, acme_owner, email="PAT@globex.test", role="admin")
    users_before = User.objects.count()
    # when
    membership = services.invitation_accept(token=token, tenant=tenant_a, user=person)
    # then
    assert (membership.user, membership.tenant, membership.role) == (person, tenant_a, "admin")
    assert Membership.objects.get(user=person, tenant=tenant_b).role == "analyst"
    assert User.objects.count() == users_before
    assert audit_of(tenant_a, "invitation.accepted")[0]["details"] == {"role": "admin", "new_account": False}


def test_accept_by_a_user_with_another_email_is_refused(tenant_a, acme_owner, globex_member):
    _, token = invite(tenant_a, acme_owner)
    stranger = globex_member("owner")
    with pytest.raises(NotAllowed) as excinfo:
        services.invitation_accept(token=token, tenant=tenant_a, user=stranger)
    assert excinfo.value.message == "This invitation is for new.person@example.test. Sign in with that account."
    assert not Membership.objects.filter(user=stranger, tenant=tenant_a).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_new_account_cannot_take_a_registered_email(tenant_a, acme_owner, globex_member):
    globex_member("analyst", email="pat@globex.test")
    _, token = invite(tenant_a, acme_owner, email="pat@globex.test")
    with pytest.raises(Conflict) as excinfo:
        services.invitation_accept(token=token, tenant=tenant_a, full_name="Pat", password=NEW_PASSWORD)
    assert excinfo.value.message == "An account for pat@globex.test already exists. Sign in to accept."
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    ("full_name", "password", "field", "message"),
    [
        ("", NEW_PASSWORD, "full_name", "Enter your name."),
        ("New Person", "short", "password", "This password is too short. It must contain at least 10 characters."),
        ("New Person", "password123", "password", "This password is too common."),
    ],
)
def test_a_new_account_needs_a_name_and_a_good_password(tenant_a, acme_owner, full_name, password, field, message):
    _, token = invite(tenant_a, acme_owner)
    with pytest.raises(ValidationFailed) as excinfo:
        services.invitation_accept(token=token, tenant=tenant_a, full_name=full_name, password=password)
    assert (excinfo.value.field, excinfo.value.message) == (field, message)
    assert not User.objects.filter(email="new.person@example.test").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_token_works_once(tenant_a, acme_owner):
    _, token = invite(tenant_a, acme_owner)
    services.invitation_accept(token=token, tenant=tenant_a, full_name="New Person", password=NEW_PASSWORD)
    user = User.objects.get(email="new.person@example.test")
    with pytest.raises(InvitationInvalid) as excinfo:
        services.invitation_accept(token=token, tenant=tenant_a, user=user)
    assert (excinfo.value.reason, excinfo.value.status) == ("used", 410)
    assert excinfo.value.message == "This invitation has already been used."
    assert len(audit_of(tenant_a, "invitation.accepted")) == 1


def test_a_token_expires_after_72_hours(tenant_a, acme_owner):
    # given
    created = timezone.now()
    _, token = invite(tenant_a, acme_owner, now=created)
    # when / then: still valid a second before, refused at the expiry
    services.invitation_ensure_usable(
        selectors.invitation_by_token(token=token), now=created + timedelta(hours=72, seconds=-1)
    )
    with pytest.raises(InvitationInvalid) as excinfo:
        services.invitation_accept(
            token=token, full_name="New Person", password=NEW_PASSWORD, now=created + timedelta(hours=72)
        )
    assert (excinfo.value.reason, excinfo.value.message) == (
        "expired",
        "This invitation has expired. Ask for a new one.",
    )
    assert not User.objects.filter(email="new.person@example.test").exists()


def test_a_revoked_token_is_refused(tenant_a, acme_owner):
    invitation, token = invite(tenant_a, acme_owner)
    services.invitation_revoke(invitation=invitation, actor=acme_owner)
    with pytest.raises(InvitationInvalid) as excinfo:
        services.invitation_accept(token=token, full_name="New Person", password=NEW_PASSWORD)
    assert (excinfo.value.reason, excinfo.value.message) == (
        "revoked",
        "This invitation was revoked. Ask for a new one.",
    )
    assert not User.objects.filter(email="new.person@example.test").exists()


@pytest.mark.parametrize("which", ["unknown", "other_tenant"])
def test_an_unknown_token_or_one_of_another_tenant_is_refused(tenant_a, tenant_b, globex_member, which):
    _, token = invite(tenant_b, globex_member("owner"))
    presented = token if which == "other_tenant" else "x" * 43
    with pytest.raises(InvitationInvalid) as excinfo:
        services.invitation_accept(token=presented, tenant=tenant_a, full_name="New Person", password=NEW_PASSWORD)
    assert (excinfo.value.reason, excinfo.value.status) == ("unknown", 404)
    assert excinfo.value.message == "This invitation link is not valid."
    assert not User.objects.filter(email="new.person@example.test").exists()


# --- invitation_revoke --------------------------------------------------------------------------------


def test_revoke_a_pending_invitation(tenant_a, acme_admin):
    invitation, _ = invite(tenant_a, acme_admin)
    services.invitation_revoke(invitation=invitation, actor=acme_admin)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert selectors.invitations_pending(tenant_a) == []
    assert audit_of(tenant_a, "invitation.revoked") == [
        {"actor_label": "admin@acme.test", "target": "new.person@example.test", "details": {"role": "operator"}}
    ]


def test_an_accepted_invitation_cannot_be_revoked(tenant_a, acme_owner):
    invitation, token = invite(tenant_a, acme_owner)
    services.invitation_accept(token=token, full_name="New Person", password=NEW_PASSWORD)
    invitation.refresh_from_db()
    with pytest.raises(Conflict) as excinfo:
        services.invitation_revoke(invitation=invitation, actor=acme_owner)
    assert excinfo.value.message == "This invitation was already accepted. Remove the member instead."
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_admin_cannot_revoke_an_owner_invitation(tenant_a, acme_owner, acme_admin):
    invitation, _ = invite(tenant_a, acme_owner, role="owner")
    with pytest.raises(NotAllowed):
        services.invitation_revoke(invitation=invitation, actor=acme_admin)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- tenant_create invites the first owner ------------------------------------------------------------


def test_tenant_create_invites_the_owner(db, settings, django_capture_on_commit_callbacks):
    # given
    settings.PUBLIC_BASE_URL = "https://switchboard.example:8443"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        tenant = tenant_create(slug="initech", name="Initech", owner_email="boss@initech.test")
    # then
    invitation = Invitation.objects.get(tenant=tenant)
    assert (invitation.email, invitation.role, invitation.invited_by) == ("boss@initech.test", "owner", None)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["boss@initech.test"]
    assert message.subject == "You're invited to Initech on Switchboard"
    link = link_in(message.body)
    token = re.fullmatch(r"https://initech\.localhost:8443/invitation/([\w-]+)/", link).group(1)
    assert selectors.invitation_by_token(token=token, tenant=tenant) == invitation
    assert "You are invited to join Initech on Switchboard as owner." in message.body
    # and the link makes the owner
    membership = services.invitation_accept(token=token, tenant=tenant, full_name="Bill L.", password=NEW_PASSWORD)
    assert (membership.user.email, membership.role) == ("boss@initech.test", "owner")


def test_tenant_create_without_owner_email_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tenant = tenant_create(slug="initech", name="Initech")
    assert Invitation.objects.filter(tenant=tenant).count() == 0
    assert mail.outbox == []


def test_members_are_listed_owners_first(tenant_a, acme_member):
    acme_member("analyst", email="a@acme.test")
    acme_member("owner", email="z@acme.test")
    acme_member("admin", email="m@acme.test")
    listed = [(m.role, m.user.email) for m in selectors.memberships_of(tenant_a)]
    assert listed == [("owner", "z@acme.test"), ("admin", "m@acme.test"), ("analyst", "a@acme.test")]


def test_password_constant_matches_the_factories(acme_owner):
    assert acme_owner.check_password(PASSWORD)


# --- checks made under the row locks -------------------------------------------------------------------


def test_revoke_re_reads_the_invitation_under_the_lock(tenant_a, acme_owner):
    # given the team page's copy of an invitation that was accepted after the page loaded it
    invitation, token = invite(tenant_a, acme_owner)
    stale = Invitation.objects.get(pk=invitation.pk)
    services.invitation_accept(token=token, full_name="New Person", password=NEW_PASSWORD)
    # when
    with pytest.raises(Conflict) as excinfo:
        services.invitation_revoke(invitation=stale, actor=acme_owner)
    # then: refused, nothing revoked, no audit entry
    assert excinfo.value.message == "This invitation was already accepted. Remove the member instead."
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert invitation.accepted_at is not None
    assert audit_of(tenant_a, "invitation.revoked") == []


def test_revoking_a_stale_copy_of_a_revoked_invitation_changes_nothing(tenant_a, acme_owner):
    invitation, _ = invite(tenant_a, acme_owner)
    stale = Invitation.objects.get(pk=invitation.pk)
    first = services.invitation_revoke(invitation=invitation, actor=acme_owner)
    second = services.invitation_revoke(invitation=stale, actor=acme_owner)
    assert second.revoked_at == first.revoked_at
    assert len(audit_of(tenant_a, "invitation.revoked")) == 1


# --- hourly limits on invitation emails ---------------------------------------------------------------


def test_a_fourth_invitation_to_one_address_within_the_hour_is_refused(
    tenant_a, tenant_b, acme_owner, globex_member, django_capture_on_commit_callbacks
):
    # given three invitations of one address (each replaces the one before)
    with django_capture_on_commit_callbacks(execute=True):
        sent = [invite(tenant_a, acme_owner, email="new.person@example.test")[0] for _ in range(3)]
    # when: a fourth, with the address spelt otherwise
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TooManyEmails) as excinfo:
        invite(tenant_a, acme_owner, email=" New.Person@example.test")
    # then it is refused, saying why, and nothing changed: the third stays pending, no fourth email
    assert (excinfo.value.status, excinfo.value.code, excinfo.value.field, excinfo.value.message) == (
        429,
        "too_many_emails",
        "email",
        "new.person@example.test was sent 3 invitations in the last hour. Try again later.",
    )
    assert [invitation.pk for invitation in selectors.invitations_pending(tenant_a)] == [sent[2].pk]
    assert Invitation.objects.filter(tenant=tenant_a).count() == 3
    assert len(audit_of(tenant_a, "invitation.created")) == 3
    assert len(mail.outbox) == 3
    # another address, and another tenant inviting the same address, are not held back
    with django_capture_on_commit_callbacks(execute=True):
        invite(tenant_a, acme_owner, email="other.person@example.test")
        invite(tenant_b, globex_member("owner"), email="new.person@example.test")
    assert [message.to for message in mail.outbox[3:]] == [["other.person@example.test"], ["new.person@example.test"]]


def test_a_tenant_sends_at_most_fifty_invitations_an_hour(tenant_a, tenant_b, acme_owner, globex_member):
    # given fifty invitations from acme, each to another address
    for index in range(50):
        invite(tenant_a, acme_owner, email=f"person{index}@example.test")
    # when / then: the fifty-first is refused
    with pytest.raises(TooManyEmails) as excinfo:
        invite(tenant_a, acme_owner, email="person50@example.test")
    assert (excinfo.value.field, excinfo.value.message) == (
        "email",
        "Acme Appointments has sent 50 invitations in the last hour. Try again later.",
    )
    assert Invitation.objects.filter(tenant=tenant_a).count() == 50
    assert not Invitation.objects.filter(email="person50@example.test").exists()
    # and globex still invites
    invitation, _ = invite(tenant_b, globex_member("owner"), email="person50@example.test")
    assert invitation.tenant == tenant_b


def test_refused_invitations_do_not_use_the_hourly_share(tenant_a, acme_owner, acme_member, acme_admin):
    # given invitations refused before any email (an existing member, an owner invited by an admin)
    for _ in range(3):
        with pytest.raises(Conflict):
            invite(tenant_a, acme_owner, email="admin@acme.test")
        with pytest.raises(NotAllowed):
            invite(tenant_a, acme_admin, role="owner")
    # when / then: the address still gets its three
    assert [invite(tenant_a, acme_owner)[0].email for _ in range(3)] == ["new.person@example.test"] * 3
