"""ISV staff by role: each admin action and page asks for its permission, and the three staff groups grant them.

The matrix reads the groups from the database (as the migration made them), so a permission moved between groups
in `tenants.staff_roles` shows here as a changed expectation.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from messaging.models import Sender
from tenants.models import ApiKey, AuditEvent, Tenant, User
from tenants.services.api_keys import api_key_create
from tenants.services.staff import staff_groups_sync
from tenants.staff_roles import OPERATIONS, PLATFORM_ADMIN, SUPPORT
from tests.factories import SenderFactory, UserFactory, in_tenant

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/tenants/tenant/"


@pytest.fixture(autouse=True)
def _staff_groups(db):
    """The groups as the migrations make them (a flush by an earlier transactional test empties the table)."""
    staff_groups_sync()


def staff_client(user: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def staff_in(group: str) -> User:
    user = UserFactory(email=f"{group.lower().replace(' ', '-')}@switchboard.test", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def staff_with(*codenames: str) -> User:
    user = UserFactory(email="viewer@switchboard.test", is_staff=True)
    user.user_permissions.add(*(Permission.objects.get(codename=codename) for codename in codenames))
    return user


def action(client: Client, name: str, tenant: Tenant, **extra):
    return client.post(CHANGELIST, {"action": name, "_selected_action": [tenant.pk], **extra})


# --- a staff member who may only view tenants ---------------------------------------------------------------


def test_a_viewer_is_offered_no_tenant_action(tenant_a):
    client = staff_client(staff_with("view_tenant"))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action at all is open to this user
    assert "Suspend selected" not in response.content.decode()


@pytest.mark.parametrize("name", ["suspend_selected", "reactivate_selected", "close_selected", "provision_selected"])
def test_a_viewer_posting_an_action_changes_nothing(tenant_a, fake_gateway, name):
    client = staff_client(staff_with("view_tenant"))
    before = AuditEvent.objects.count()
    response = action(client, name, tenant_a, confirm="yes", reason="because")
    tenant_a.refresh_from_db()
    # with no action open to them the post only shows the list again
    assert (response.status_code, tenant_a.status) == (200, "active")
    assert AuditEvent.objects.count() == before
    assert [call for call, _ in fake_gateway.calls] == []


def test_a_viewer_cannot_delete_a_tenant_nor_enter_it(tenant_a):
    client = staff_client(staff_with("view_tenant"))
    assert client.get(f"{CHANGELIST}{tenant_a.pk}/delete/").status_code == 403
    assert client.post(f"{CHANGELIST}{tenant_a.pk}/support/", {"reason": "curious"}).status_code == 403
    assert client.get(f"{CHANGELIST}{tenant_a.pk}/change/").status_code == 200


def test_no_one_deletes_a_tenant_from_the_admin(tenant_a):
    client = staff_client(UserFactory(email="root@switchboard.test", is_staff=True, is_superuser=True))
    choices = [value for value, _ in client.get(CHANGELIST).context["action_form"].fields["action"].choices]
    assert "delete_selected" not in choices
    assert client.post(f"{CHANGELIST}{tenant_a.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Tenant.objects.filter(pk=tenant_a.pk).exists()


# --- closing asks first, names the tenant and takes a reason -------------------------------------------------


def test_closing_asks_for_confirmation_and_a_reason_that_goes_to_the_audit_log(tenant_a, fake_gateway):
    admin = staff_in(PLATFORM_ADMIN)
    client = staff_client(admin)
    # when the action is chosen, a page says what closing does and nothing is closed yet
    page = action(client, "close_selected", tenant_a)
    text = page.content.decode()
    assert page.status_code == 200
    assert "<strong>Acme Appointments</strong> (acme, active)" in text
    assert "releases its phone numbers for good" in text
    tenant_a.refresh_from_db()
    assert tenant_a.status == "active"
    # when confirmed without a reason, it is asked again
    again = action(client, "close_selected", tenant_a, confirm="yes", reason=" ")
    assert "Say why these tenants are closed." in again.content.decode()
    tenant_a.refresh_from_db()
    assert tenant_a.status == "active"
    assert fake_gateway.calls_of("close_subaccount") == []
    # when confirmed with a reason, it is closed and the reason audited
    done = action(client, "close_selected", tenant_a, confirm="yes", reason="contract ended, ticket 4711")
    tenant_a.refresh_from_db()
    assert (done.status_code, tenant_a.status) == (302, "closed")
    event = AuditEvent.objects.get(tenant=tenant_a, action="tenant.closed")
    assert (event.actor, event.details["reason"]) == (admin, "contract ended, ticket 4711")


# --- the three staff groups, as a matrix ---------------------------------------------------------------------

CAPABILITIES = ["view", "support", "suspend", "provision", "close", "move_registration", "revoke_key", "edit_catalogue"]
EXPECTED = {
    SUPPORT: {"view", "support"},
    OPERATIONS: {"view", "support", "suspend", "provision", "move_registration", "revoke_key", "edit_catalogue"},
    PLATFORM_ADMIN: set(CAPABILITIES),
}


def _try(capability: str, client: Client, tenant: Tenant) -> bool:
    """Attempt the capability as the client's user; True when it took effect (checked in the database)."""
    if capability == "view":
        return client.get(CHANGELIST).status_code == 200
    if capability == "support":
        response = client.post(f"{CHANGELIST}{tenant.pk}/support/", {"reason": "ticket 1"})
        return response.status_code == 302 and response["Location"].startswith("http://acme.localhost")
    if capability in ("suspend", "close"):
        action(client, f"{capability}_selected", tenant, confirm="yes", reason="ticket 2")
        tenant.refresh_from_db()
        return tenant.status == {"suspend": "suspended", "close": "closed"}[capability]
    if capability == "provision":
        before = AuditEvent.objects.filter(action="tenant.provisioned").count()
        action(client, "provision_selected", tenant)
        return AuditEvent.objects.filter(action="tenant.provisioned").count() == before + 1
    if capability == "move_registration":
        sender = SenderFactory(tenant=tenant, kind="a2p_10dlc", address="+14155550100", country="US", mps=12)
        client.post(f"{CHANGELIST}{tenant.slug}/senders/", {"sender_id": sender.pk, "state": "submitted"})
        with in_tenant(tenant):
            return Sender.objects.get(pk=sender.pk).registration_state == "submitted"
    if capability == "revoke_key":
        key, _ = api_key_create(tenant=tenant, name="zapier")
        client.post("/admin/tenants/apikey/", {"action": "revoke_selected", "_selected_action": [key.pk]})
        return ApiKey.objects.get(pk=key.pk).revoked_at is not None
    if capability == "edit_catalogue":
        return client.get("/admin/catalogue/sendertype/add/").status_code == 200
    raise AssertionError(capability)


@pytest.mark.parametrize("capability", CAPABILITIES)
@pytest.mark.parametrize("group", [SUPPORT, OPERATIONS, PLATFORM_ADMIN])
def test_each_staff_group_may_do_exactly_its_part(group, capability, tenant_a, fake_gateway):
    tenant_a.twilio_subaccount_sid = None if capability == "provision" else tenant_a.twilio_subaccount_sid
    Tenant.objects.filter(pk=tenant_a.pk).update(twilio_subaccount_sid=tenant_a.twilio_subaccount_sid)
    client = staff_client(staff_in(group))
    assert _try(capability, client, tenant_a) is (capability in EXPECTED[group])


def test_the_groups_hold_their_permissions():
    def held(name):
        return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}

    support, operations, admin = held(SUPPORT), held(OPERATIONS), held(PLATFORM_ADMIN)
    assert "tenants.support_tenant" in support and "tenants.suspend_tenant" not in support
    assert support < operations < admin
    assert {"tenants.close_tenant", "tenants.add_tenant", "tenants.change_platformapikey"} <= admin - operations
    assert len(admin) == Permission.objects.count()
