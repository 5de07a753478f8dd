"""The Team page and accepting an invitation, through the Django test client on acme's host."""

from __future__ import annotations

import pytest
from django.core import mail

from tenants.models import AuditEvent, Invitation, Membership, User
from tenants.people import services
from tests.tenants.people.helpers import NEW_PASSWORD, PASSWORD, link_in, path_of

pytestmark = pytest.mark.django_db


def _flash(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the Team page ------------------------------------------------------------------------------------


def test_team_page_lists_members_and_pending_invitations(client_a, acme_owner, acme_member, tenant_a):
    # given
    acme_member("analyst", email="ann@acme.test")
    services.invitation_create(tenant=tenant_a, email="joe@example.test", role="operator", invited_by=acme_owner)
    client_a.force_login(acme_owner)
    # when
    response = client_a.get("/team/")
    # then
    assert response.status_code == 200
    assert [m.user.email for m in response.context["members"]] == ["owner@acme.test", "ann@acme.test"]
    assert [i.email for i in response.context["invitations"]] == ["joe@example.test"]
    content = response.content.decode()
    assert 'data-testid="member-ann@acme.test"' in content
    assert 'data-testid="invitation-joe@example.test"' in content
    assert 'data-testid="nav-team"' in content
    assert "They get an email with a link that works once, for 72 hours." in content


def test_team_link_only_for_roles_that_manage_the_team(client_a, acme_member):
    for role, shown in [("owner", True), ("admin", True), ("operator", False), ("analyst", False)]:
        client_a.force_login(acme_member(role))
        content = client_a.get("/account/two-factor/").content.decode()
        assert ('data-testid="nav-team"' in content) is shown, role
        assert 'data-testid="nav-two-factor"' in content


def test_invite_from_the_team_page_sends_the_email(client_a, acme_admin, django_capture_on_commit_callbacks):
    client_a.force_login(acme_admin)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post("/team/", {"email": "joe@example.test", "role": "analyst"}, follow=True)
    # then
    assert response.redirect_chain == [("/team/", 302)]
    assert _flash(response) == ["Invitation sent to joe@example.test."]
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == ("joe@example.test", "analyst", acme_admin)
    assert [message.to for message in mail.outbox] == [["joe@example.test"]]
    assert link_in(mail.outbox[0].body).startswith("http://acme.localhost:8000/invitation/")


def test_a_fourth_invitation_within_the_hour_is_refused_under_the_email_field(client_a, acme_admin):
    client_a.force_login(acme_admin)
    for _ in range(3):
        assert client_a.post("/team/", {"email": "joe@example.test", "role": "analyst"}).status_code == 302
    # when
    response = client_a.post("/team/", {"email": "joe@example.test", "role": "analyst"})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["joe@example.test was sent 3 invitations in the last hour. Try again later."]
    }
    assert Invitation.objects.filter(email="joe@example.test").count() == 3


def test_admin_is_not_offered_the_owner_role(client_a, acme_owner, acme_admin):
    client_a.force_login(acme_admin)
    response = client_a.get("/team/")
    assert [value for value, _ in response.context["form"].fields["role"].choices] == ["admin", "operator", "analyst"]
    assert '<option value="owner"' not in response.content.decode()


def test_admin_posting_an_owner_invitation_is_refused(client_a, acme_admin):
    client_a.force_login(acme_admin)
    response = client_a.post("/team/", {"email": "boss@example.test", "role": "owner"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "role": ["Select a valid choice. owner is not one of the available choices."]
    }
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_inviting_a_member_shows_the_error(client_a, acme_owner, acme_admin):
    client_a.force_login(acme_owner)
    response = client_a.post("/team/", {"email": "admin@acme.test", "role": "analyst"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["admin@acme.test is already a member of Acme Appointments."]}
    assert Invitation.objects.count() == 0


def test_change_a_role(client_a, acme_owner, acme_member, tenant_a):
    operator = acme_member("operator")
    membership = Membership.objects.get(user=operator, tenant=tenant_a)
    client_a.force_login(acme_owner)
    response = client_a.post(f"/team/members/{membership.pk}/role/", {"role": "admin"}, follow=True)
    assert response.redirect_chain == [("/team/", 302)]
    assert _flash(response) == ["operator@acme.test is now admin."]
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_admin_cannot_make_an_owner_through_the_page(client_a, acme_admin, acme_member, tenant_a):
    operator = acme_member("operator")
    membership = Membership.objects.get(user=operator, tenant=tenant_a)
    client_a.force_login(acme_admin)
    response = client_a.post(f"/team/members/{membership.pk}/role/", {"role": "owner"}, follow=True)
    assert _flash(response) == ["Only owners may grant or remove the owner role."]
    membership.refresh_from_db()
    assert membership.role == "operator"


def test_a_staff_admin_member_cannot_make_an_owner_through_the_page(client_a, acme_owner, acme_member, tenant_a):
    # given an ISV staff account that is an admin member of acme
    staff_admin = acme_member("admin", email="staff@switchboard.test")
    User.objects.filter(pk=staff_admin.pk).update(is_staff=True)
    operator = acme_member("operator")
    membership = Membership.objects.get(user=operator, tenant=tenant_a)
    client_a.force_login(staff_admin)
    # when
    response = client_a.post(f"/team/members/{membership.pk}/role/", {"role": "owner"}, follow=True)
    # then
    assert _flash(response) == ["Only owners may grant or remove the owner role."]
    membership.refresh_from_db()
    assert membership.role == "operator"
    assert not AuditEvent.objects.filter(tenant=tenant_a, action="membership.role_changed").exists()


def test_the_last_owner_cannot_demote_themselves(client_a, acme_owner, tenant_a):
    membership = Membership.objects.get(user=acme_owner, tenant=tenant_a)
    client_a.force_login(acme_owner)
    response = client_a.post(f"/team/members/{membership.pk}/role/", {"role": "analyst"}, follow=True)
    assert _flash(response) == ["Acme Appointments must keep at least one owner. Make someone else an owner first."]
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_remove_a_member(client_a, acme_admin, acme_member, tenant_a):
    analyst = acme_member("analyst")
    membership = Membership.objects.get(user=analyst, tenant=tenant_a)
    client_a.force_login(acme_admin)
    response = client_a.post(f"/team/members/{membership.pk}/remove/", follow=True)
    assert _flash(response) == ["analyst@acme.test was removed from Acme Appointments."]
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # the removed person no longer gets in
    client_a.force_login(analyst)
    assert client_a.get("/account/two-factor/")["Location"] == "/login/?next=/account/two-factor/"


def test_revoke_an_invitation(client_a, acme_admin, tenant_a):
    invitation, token = services.invitation_create(
        tenant=tenant_a, email="joe@example.test", role="operator", invited_by=acme_admin
    )
    client_a.force_login(acme_admin)
    response = client_a.post(f"/team/invitations/{invitation.pk}/revoke/", follow=True)
    assert _flash(response) == ["The invitation of joe@example.test was revoked."]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client_a.get(f"/invitation/{token}/").status_code == 410


def test_members_and_invitations_of_another_tenant_are_not_found(client_a, acme_owner, globex_member, tenant_b):
    # given rows of globex
    other = globex_member("analyst")
    membership = Membership.objects.get(user=other, tenant=tenant_b)
    invitation, _ = services.invitation_create(
        tenant=tenant_b, email="joe@example.test", role="operator", invited_by=None
    )
    client_a.force_login(acme_owner)
    # when / then
    assert client_a.post(f"/team/members/{membership.pk}/role/", {"role": "admin"}).status_code == 404
    assert client_a.post(f"/team/members/{membership.pk}/remove/").status_code == 404
    assert client_a.post(f"/team/invitations/{invitation.pk}/revoke/").status_code == 404
    membership.refresh_from_db()
    invitation.refresh_from_db()
    assert (membership.role, invitation.revoked_at) == ("analyst", None)
    assert not AuditEvent.objects.filter(tenant=tenant_b, action__in=["membership.role_changed", "invitation.revoked"])


# --- accepting an invitation --------------------------------------------------------------------------


@pytest.fixture
def invitation_link(tenant_a, acme_owner, django_capture_on_commit_callbacks):
    def make(email: str = "joe@example.test", role: str = "operator") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_create(tenant=tenant_a, email=email, role=role, invited_by=acme_owner)
        return path_of(link_in(mail.outbox[-1].body))

    return make


def test_a_new_person_accepts_and_is_signed_in(client_a, invitation_link, tenant_a):
    path = invitation_link()
    # when
    page = client_a.get(path)
    response = client_a.post(path, {"full_name": "Joe Bloggs", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    # then
    assert page.status_code == 200
    assert 'data-testid="invited-email">joe@example.test<' in page.content.decode()
    assert "Create account and join" in page.content.decode()
    assert (response.status_code, response["Location"]) == (302, "/")
    user = User.objects.get(email="joe@example.test")
    assert int(client_a.session["_auth_user_id"]) == user.pk
    assert Membership.objects.get(user=user, tenant=tenant_a).role == "operator"
    assert client_a.get(path).status_code == 410  # single use


def test_mismatched_passwords_create_nothing(client_a, invitation_link):
    path = invitation_link()
    response = client_a.post(path, {"full_name": "Joe", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"password2": ["The two passwords differ."]}
    assert not User.objects.filter(email="joe@example.test").exists()


def test_a_weak_password_is_shown_on_the_field(client_a, invitation_link):
    path = invitation_link()
    response = client_a.post(path, {"full_name": "Joe", "password1": "password123", "password2": "password123"})
    assert response.context["form"].errors == {"password1": ["This password is too common."]}
    assert not User.objects.filter(email="joe@example.test").exists()


def test_an_existing_user_signs_in_to_accept(client_a, invitation_link, globex_member, tenant_a):
    # given
    person = globex_member("analyst", email="pat@globex.test")
    path = invitation_link(email="pat@globex.test", role="admin")
    # when: a wrong password first, then the right one
    page = client_a.get(path)
    wrong = client_a.post(path, {"password": "not it"})
    right = client_a.post(path, {"password": PASSWORD})
    # then
    assert "Sign in and accept" in page.content.decode()
    assert wrong.context["form"].errors == {"password": ["That password is not right."]}
    assert (right.status_code, right["Location"]) == (302, "/")
    assert int(client_a.session["_auth_user_id"]) == person.pk
    assert Membership.objects.get(user=person, tenant=tenant_a).role == "admin"


@pytest.mark.parametrize(
    ("state", "status", "message"),
    [
        ("unknown", 404, "This invitation link is not valid."),
        ("revoked", 410, "This invitation was revoked. Ask for a new one."),
        ("used", 410, "This invitation has already been used."),
    ],
)
def test_an_unusable_link_says_why(client_a, invitation_link, tenant_a, state, status, message):
    path = invitation_link()
    invitation = Invitation.objects.get()
    if state == "unknown":
        path = "/invitation/not-a-token/"
    elif state == "revoked":
        services.invitation_revoke(invitation=invitation, actor=None)
    else:
        client_a.post(path, {"full_name": "Joe", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        client_a.logout()
    response = client_a.get(path)
    assert response.status_code == status
    assert f'data-testid="invitation-error">{message}<' in response.content.decode()


def test_a_link_of_another_tenant_does_not_work_here(client_a, client_b, tenant_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(tenant=tenant_b, email="joe@example.test", role="operator", invited_by=None)
    path = path_of(link_in(mail.outbox[0].body))
    assert client_a.get(path).status_code == 404
    assert client_b.get(path).status_code == 200
