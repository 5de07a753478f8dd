"""People services: role changes and removal, owner protection, staff acting by their role, checks under locks."""

from __future__ import annotations

import pytest

from tenants.errors import Conflict
from tenants.models import Invitation, Membership, User
from tenants.people import services
from tenants.people.errors import NotAllowed
from tests.tenants.people.service_helpers import audit_of, invite

pytestmark = pytest.mark.django_db


# --- membership_role_change / membership_remove -------------------------------------------------------


def _membership(tenant, user):
    return Membership.objects.select_related("user", "tenant").get(tenant=tenant, user=user)


def test_admin_changes_an_operator_to_analyst(tenant_a, acme_admin, acme_member):
    operator = acme_member("operator")
    changed = services.membership_role_change(
        membership=_membership(tenant_a, operator), role="analyst", actor=acme_admin
    )
    assert changed.role == "analyst"
    assert _membership(tenant_a, operator).role == "analyst"
    assert audit_of(tenant_a, "membership.role_changed")[0] == {
        "actor_label": "admin@acme.test",
        "target": "operator@acme.test",
        "details": {"from": "operator", "to": "analyst"},
    }


@pytest.mark.parametrize(("target_role", "new_role"), [("operator", "owner"), ("owner", "admin")])
def test_admin_cannot_grant_or_take_the_owner_role(tenant_a, acme_admin, acme_member, target_role, new_role):
    target = acme_member(target_role, email="target@acme.test")
    acme_member("owner", email="second-owner@acme.test")
    with pytest.raises(NotAllowed) as excinfo:
        services.membership_role_change(membership=_membership(tenant_a, target), role=new_role, actor=acme_admin)
    assert excinfo.value.message == "Only owners may grant or remove the owner role."
    assert _membership(tenant_a, target).role == target_role
    assert audit_of(tenant_a, "membership.role_changed") == []


def test_owner_grants_the_owner_role(tenant_a, acme_owner, acme_admin):
    services.membership_role_change(membership=_membership(tenant_a, acme_admin), role="owner", actor=acme_owner)
    assert _membership(tenant_a, acme_admin).role == "owner"


def test_the_last_owner_cannot_step_down(tenant_a, acme_owner):
    with pytest.raises(Conflict) as excinfo:
        services.membership_role_change(membership=_membership(tenant_a, acme_owner), role="admin", actor=acme_owner)
    assert excinfo.value.message == "Acme Appointments must keep at least one owner. Make someone else an owner first."
    assert _membership(tenant_a, acme_owner).role == "owner"


def test_an_owner_may_step_down_when_another_owner_remains(tenant_a, acme_owner, acme_member):
    other = acme_member("owner", email="other-owner@acme.test")
    services.membership_role_change(membership=_membership(tenant_a, acme_owner), role="admin", actor=acme_owner)
    assert _membership(tenant_a, acme_owner).role == "admin"
    with pytest.raises(Conflict):
        services.membership_role_change(membership=_membership(tenant_a, other), role="analyst", actor=other)
    assert _membership(tenant_a, other).role == "owner"


def test_the_same_role_changes_nothing(tenant_a, acme_admin, acme_member):
    operator = acme_member("operator")
    services.membership_role_change(membership=_membership(tenant_a, operator), role="operator", actor=acme_admin)
    assert audit_of(tenant_a, "membership.role_changed") == []


def test_remove_a_member(tenant_a, acme_admin, acme_member):
    operator = acme_member("operator")
    services.membership_remove(membership=_membership(tenant_a, operator), actor=acme_admin)
    assert not Membership.objects.filter(tenant=tenant_a, user=operator).exists()
    assert User.objects.filter(pk=operator.pk).exists()
    assert audit_of(tenant_a, "membership.removed") == [
        {"actor_label": "admin@acme.test", "target": "operator@acme.test", "details": {"role": "operator"}}
    ]


def test_the_last_owner_cannot_be_removed(tenant_a, acme_owner):
    with pytest.raises(Conflict):
        services.membership_remove(membership=_membership(tenant_a, acme_owner), actor=acme_owner)
    assert _membership(tenant_a, acme_owner).role == "owner"
    assert audit_of(tenant_a, "membership.removed") == []


def test_an_admin_cannot_remove_an_owner(tenant_a, acme_owner, acme_admin, acme_member):
    acme_member("owner", email="other-owner@acme.test")
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=_membership(tenant_a, acme_owner), actor=acme_admin)
    assert _membership(tenant_a, acme_owner).role == "owner"


def test_an_operator_cannot_change_roles(tenant_a, acme_member):
    operator = acme_member("operator")
    analyst = acme_member("analyst")
    with pytest.raises(NotAllowed):
        services.membership_role_change(membership=_membership(tenant_a, analyst), role="admin", actor=operator)
    assert _membership(tenant_a, analyst).role == "analyst"


# --- ISV staff act by their membership role only -------------------------------------------------------


def test_a_staff_admin_member_cannot_grant_the_owner_role(tenant_a, acme_owner, acme_member):
    # given an ISV staff account that is an admin member of acme
    staff_admin = acme_member("admin", email="staff@switchboard.test")
    User.objects.filter(pk=staff_admin.pk).update(is_staff=True)
    staff_admin.refresh_from_db()
    operator = acme_member("operator")
    # when / then
    with pytest.raises(NotAllowed) as excinfo:
        services.membership_role_change(membership=_membership(tenant_a, operator), role="owner", actor=staff_admin)
    assert excinfo.value.message == "Only owners may grant or remove the owner role."
    with pytest.raises(NotAllowed):
        invite(tenant_a, staff_admin, role="owner")
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=_membership(tenant_a, acme_owner), actor=staff_admin)
    assert _membership(tenant_a, operator).role == "operator"
    assert _membership(tenant_a, acme_owner).role == "owner"
    assert Invitation.objects.count() == 0
    assert audit_of(tenant_a, "membership.role_changed") == []


def test_staff_without_a_membership_cannot_manage_the_team(tenant_a, acme_member):
    staff = User.objects.create_superuser("isv@switchboard.test", "pw-staff-1")
    operator = acme_member("operator")
    with pytest.raises(NotAllowed) as excinfo:
        services.membership_role_change(membership=_membership(tenant_a, operator), role="analyst", actor=staff)
    assert excinfo.value.message == "Your role does not allow managing the team."
    with pytest.raises(NotAllowed):
        invite(tenant_a, staff)
    assert _membership(tenant_a, operator).role == "operator"
    assert Invitation.objects.count() == 0


# --- membership checks made under the row locks -----------------------------------------------------


@pytest.fixture
def demoted_while_waiting_for_the_lock(monkeypatch, tenant_a):
    """Demote `user` to analyst just before the service takes its row locks, as a concurrent change would."""

    def arrange(user):
        real = services._locked_membership

        def racing(**kwargs):
            Membership.objects.filter(tenant=tenant_a, user=user).update(role="analyst")
            return real(**kwargs)

        monkeypatch.setattr(services, "_locked_membership", racing)

    return arrange


def test_a_role_change_checks_the_actors_role_under_the_lock(
    tenant_a, acme_admin, acme_member, demoted_while_waiting_for_the_lock
):
    operator = acme_member("operator")
    demoted_while_waiting_for_the_lock(acme_admin)
    with pytest.raises(NotAllowed) as excinfo:
        services.membership_role_change(membership=_membership(tenant_a, operator), role="admin", actor=acme_admin)
    assert excinfo.value.message == "Your role does not allow managing the team."
    assert _membership(tenant_a, operator).role == "operator"
    assert audit_of(tenant_a, "membership.role_changed") == []


def test_a_removal_checks_the_actors_role_under_the_lock(
    tenant_a, acme_admin, acme_member, demoted_while_waiting_for_the_lock
):
    operator = acme_member("operator")
    demoted_while_waiting_for_the_lock(acme_admin)
    with pytest.raises(NotAllowed) as excinfo:
        services.membership_remove(membership=_membership(tenant_a, operator), actor=acme_admin)
    assert excinfo.value.message == "Your role does not allow managing the team."
    assert Membership.objects.filter(tenant=tenant_a, user=operator).exists()
    assert audit_of(tenant_a, "membership.removed") == []
