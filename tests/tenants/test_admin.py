"""The ISV staff admin on the platform host: onboarding, status actions, limits and support mode."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import AuditEvent, SupportSession, Tenant, TenantLimits, User


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_superuser("staff@switchboard.test", "pw-staff-1", full_name="Staff")


@pytest.fixture
def staff_client(public_client, staff) -> Client:
    public_client.force_login(staff)
    return public_client


@pytest.mark.django_db
def test_staff_onboard_a_tenant_from_the_admin(staff_client, fake_gateway, staff):
    # when
    response = staff_client.post(
        "/admin/tenants/tenant/add/",
        {"name": "Initech", "slug": "initech", "time_zone": "America/Chicago", "default_country": "US"},
    )
    # then
    tenant = Tenant.objects.get(slug="initech")
    assert response.status_code == 302
    assert response["Location"] == "/admin/tenants/tenant/"
    assert tenant.twilio_subaccount_sid in fake_gateway.subaccounts
    event = AuditEvent.objects.get(tenant=tenant)
    assert (event.action, event.actor, event.details) == ("tenant.created", staff, {"name": "Initech"})


@pytest.mark.django_db
def test_a_taken_slug_is_an_error_on_the_form_and_nothing_is_made(staff_client, fake_gateway, tenant_a):
    response = staff_client.post(
        "/admin/tenants/tenant/add/",
        {"name": "Acme again", "slug": "acme", "time_zone": "UTC", "default_country": "US"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"slug": ["Tenant with this Slug already exists."]}
    assert Tenant.objects.filter(name="Acme again").count() == 0
    assert fake_gateway.calls_of("create_subaccount") == []


@pytest.mark.django_db
def test_the_changelist_lists_tenants_with_status_and_subaccount(staff_client, tenant_a, tenant_b):
    response = staff_client.get("/admin/tenants/tenant/?q=acme")
    page = response.content.decode()
    assert response.status_code == 200
    assert tenant_a.twilio_subaccount_sid in page
    assert tenant_b.twilio_subaccount_sid not in page


@pytest.mark.django_db
def test_suspend_action_reaches_twilio_and_the_audit_log(staff_client, fake_gateway, tenant_a, staff):
    response = staff_client.post(
        "/admin/tenants/tenant/",
        {"action": "suspend_selected", "_selected_action": [tenant_a.pk]},
        follow=True,
    )
    tenant_a.refresh_from_db()
    assert tenant_a.status == "suspended"
    assert fake_gateway.subaccounts[tenant_a.twilio_subaccount_sid].status == "suspended"
    assert "1 tenant(s) suspended." in response.content.decode()
    assert AuditEvent.objects.filter(tenant=tenant_a, action="tenant.suspended", actor=staff).count() == 1


def _form_data(response) -> dict:
    """The POST body a browser would send for an admin change page, as rendered."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.mark.django_db
def test_staff_edit_limits_as_data(staff_client, tenant_a):
    url = f"/admin/tenants/tenant/{tenant_a.pk}/change/"
    data = _form_data(staff_client.get(url))
    data.update({"limits-0-api_requests_per_minute": "120"})
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    limits = TenantLimits.objects.get(tenant=tenant_a)
    assert limits.api_requests_per_minute == 120


@pytest.mark.django_db
def test_staff_edit_settings_through_the_same_checks_and_audit(staff_client, tenant_a, staff):
    url = f"/admin/tenants/tenant/{tenant_a.pk}/change/"
    data = _form_data(staff_client.get(url))
    refused = staff_client.post(url, {**data, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "time_zone": ["time_zone 'Mars/Olympus' is not an IANA time zone"]
    }
    saved = staff_client.post(url, {**data, "time_zone": "America/Chicago"})
    assert saved.status_code == 302
    tenant_a.refresh_from_db()
    assert tenant_a.time_zone == "America/Chicago"
    event = AuditEvent.objects.get(tenant=tenant_a, action="tenant.settings_changed")
    assert (event.actor, event.details) == (staff, {"fields": ["time_zone"]})


@pytest.mark.django_db
def test_support_mode_enters_read_only_under_a_banner_and_is_audited(staff_client, tenant_a, staff):
    url = f"/admin/tenants/tenant/{tenant_a.pk}/support/"
    # a GET only asks why: a link on another site cannot open a session
    asked = staff_client.get(url + "?reason=forged")
    assert asked.status_code == 200
    assert not SupportSession.objects.filter(tenant=tenant_a).exists()
    # a POST without a reason is refused
    assert staff_client.post(url, {"reason": "  "}).status_code == 400
    # when staff start support mode in the admin
    response = staff_client.post(url, {"reason": "ticket 42"})
    # then they are sent to a single-use link on the tenant's host
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith("http://acme.localhost:8000/support/enter/")
    tenant_client = Client(HTTP_HOST="acme.localhost")
    path = link.removeprefix("http://acme.localhost:8000")
    entered = tenant_client.get(path, follow=True)
    page = entered.content.decode()
    assert entered.status_code == 200
    assert "Support mode" in page
    # and writes are refused
    refused = tenant_client.post("/settings/", {"name": "Hijacked"})
    assert refused.status_code == 403
    tenant_a.refresh_from_db()
    assert tenant_a.name == "Acme Appointments"
    # and the link works once only
    assert Client(HTTP_HOST="acme.localhost").get(path).status_code == 403
    # and both steps are in the audit log
    actions = list(AuditEvent.objects.filter(tenant=tenant_a, actor=staff).values_list("action", flat=True))
    assert sorted(actions) == ["support.entered", "support.started"]
    assert SupportSession.objects.get(tenant=tenant_a).reason == "ticket 42"


@pytest.mark.django_db
def test_tenant_users_never_reach_the_admin(public_client, acme_member):
    public_client.force_login(acme_member("owner"))
    response = public_client.get("/admin/tenants/tenant/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_staff_see_a_tenants_senders_and_move_a_registration(staff_client, tenant_a, tenant_b, staff):
    from datetime import date
    from decimal import Decimal

    from django.db import connection

    from messaging.services import plans
    from messaging.services import senders as sender_services

    connection.set_tenant(tenant_a)
    sender = sender_services.sender_register(kind="a2p_10dlc", address="+14155550100", country="US", mps=Decimal(12))
    plans.plan_save(
        name="Passcodes",
        data={
            "use_case": "otp",
            "two_way": False,
            "countries": ["US"],
            "daily_volume": 1000,
            "required_mps": 2,
            "go_live": date(2027, 3, 1),
        },
        created_by="owner@acme.test",
    )
    connection.set_tenant(tenant_b)
    sender_services.sender_register(kind="alphanumeric", address="GLOBEX", country="GB", mps=Decimal(10))
    connection.set_schema_to_public()
    # the tenant's page lists its senders only
    page = staff_client.get("/admin/tenants/tenant/acme/senders/")
    assert page.status_code == 200
    assert [s.address for s in page.context["senders"]] == ["+14155550100"]
    assert page.context["senders"][0].next_states == ["submitted"]
    assert [(p.name, p.created_by, p.status) for p in page.context["plans"]] == [
        ("Passcodes", "owner@acme.test", "draft")
    ]
    # a move is made in the tenant's schema and audited
    moved = staff_client.post(
        "/admin/tenants/tenant/acme/senders/", {"sender_id": sender.pk, "state": "submitted"}, follow=True
    )
    assert "+14155550100: registration is now submitted." in moved.content.decode()
    event = AuditEvent.objects.get(tenant=tenant_a, action="sender.registration_moved")
    assert (event.actor, event.target, event.details) == (staff, "+14155550100", {"from": "draft", "to": "submitted"})
    # an impossible move is refused with the reason
    refused = staff_client.post(
        "/admin/tenants/tenant/acme/senders/", {"sender_id": sender.pk, "state": "draft"}, follow=True
    )
    assert (
        "+14155550100: a2p_10dlc registration cannot go from submitted to draft; allowed: approved, rejected"
        in refused.content.decode()
    )
    assert AuditEvent.objects.filter(action="sender.registration_moved").count() == 1


@pytest.mark.django_db
def test_tenant_senders_page_needs_staff(public_client, acme_member, tenant_a):
    public_client.force_login(acme_member("owner"))
    response = public_client.get("/admin/tenants/tenant/acme/senders/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_tenant_senders_page_refuses_bad_input_without_an_error_page(staff_client, tenant_a):
    from decimal import Decimal

    from django.db import connection

    from messaging.services import senders as sender_services

    connection.set_tenant(tenant_a)
    sender = sender_services.sender_register(kind="a2p_10dlc", address="+14155550100", country="US", mps=Decimal(12))
    connection.set_schema_to_public()
    url = "/admin/tenants/tenant/acme/senders/"
    assert staff_client.post(url, {"sender_id": "abc", "state": "submitted"}).status_code == 404
    refused = staff_client.post(url, {"sender_id": sender.pk, "state": "submitted", "reference": "R" * 65}, follow=True)
    assert "+14155550100: reference must be at most 64 characters" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="sender.registration_moved").exists()
