"""The staff admin's Messages page of a tenant: its recent messages, the stranded ones, its failures by reason; read
only, and only for staff who may view tenants."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import MessageFactory, SenderFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/tenants/tenant/acme/messages/"


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


def test_the_tenant_page_links_to_its_messages(staff_client, tenant_a):
    page = staff_client.get(f"/admin/tenants/tenant/{tenant_a.pk}/change/").content.decode()
    assert f'<a class="button" href="{URL}">Messages</a>' in page


def test_recent_messages_are_the_tenants_own_newest_first(staff_client, tenant_a, tenant_b):
    sender = SenderFactory(tenant=tenant_a, address="+14165550100")
    first = MessageFactory(tenant=tenant_a, sender=sender, status="delivered", to="+14155550101")
    second = MessageFactory(tenant=tenant_a, sender=sender, direction="inbound", from_address="+14155550102")
    MessageFactory(tenant=tenant_b, status="delivered", to="+447911123401")
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert [(m.uuid, m.status) for m in response.context["recent"]] == [
        (second.uuid, "received"),
        (first.uuid, "delivered"),
    ]
    assert "+447911123401" not in response.content.decode()
    assert response.context["title"] == "Messages of Acme Appointments"


def test_stranded_messages_are_those_queued_too_long_or_sending_past_the_lease(staff_client, tenant_a, settings):
    settings.DISPATCH_SENDING_LEASE_SECONDS = 60
    sender = SenderFactory(tenant=tenant_a)
    old_queued = MessageFactory(tenant=tenant_a, sender=sender, status="queued", queued_at=ago(minutes=20))
    MessageFactory(tenant=tenant_a, sender=sender, status="queued", queued_at=ago(minutes=2))
    overdue = MessageFactory(tenant=tenant_a, sender=sender, status="scheduled", send_at=ago(minutes=30))
    MessageFactory(tenant=tenant_a, sender=sender, status="scheduled", send_at=ago(minutes=-30))
    stuck = MessageFactory(tenant=tenant_a, sender=sender, status="sending", sending_at=ago(seconds=90))
    MessageFactory(tenant=tenant_a, sender=sender, status="sending", sending_at=ago(seconds=30))
    MessageFactory(tenant=tenant_a, sender=sender, status="delivered", queued_at=ago(hours=2))
    response = staff_client.get(URL)
    assert [(m.uuid, m.status) for m in response.context["stranded"]] == [
        (old_queued.uuid, "queued"),
        (overdue.uuid, "scheduled"),
        (stuck.uuid, "sending"),
    ]
    assert "claimed by a worker more than 60 s ago" in response.content.decode()


def test_failures_of_the_last_seven_days_are_grouped_by_reason(staff_client, tenant_a, tenant_b):
    sender = SenderFactory(tenant=tenant_a)
    for _ in range(2):
        MessageFactory(
            tenant=tenant_a, sender=sender, status="undelivered", failure_reason="carrier_filtered", error_code=30007
        )
    latest = ago(minutes=5)
    MessageFactory(
        tenant=tenant_a, sender=sender, status="failed", failure_reason="opted_out", error_code=21610, failed_at=latest
    )
    MessageFactory(tenant=tenant_a, sender=sender, status="failed", failure_reason="unreachable", error_code=30003)
    MessageFactory(tenant=tenant_a, sender=sender, status="failed", failure_reason="unreachable", error_code=21612)
    MessageFactory(tenant=tenant_a, sender=sender, status="failed", failure_reason="expired")
    MessageFactory(tenant=tenant_a, sender=sender, status="failed", failure_reason="blocked", failed_at=ago(days=8))
    MessageFactory(tenant=tenant_b, status="failed", failure_reason="landline", error_code=30006)
    response = staff_client.get(URL)
    groups = [(g.reason, g.label, g.count, g.error_codes) for g in response.context["failures"]]
    assert groups == [
        ("carrier_filtered", "Carrier filtering", 2, [30007]),
        ("unreachable", "Recipient unreachable", 2, [21612, 30003]),
        ("expired", "Validity period expired", 1, []),
        ("opted_out", "Recipient opted out", 1, [21610]),
    ]
    assert response.context["failures"][3].last_failed_at == latest
    assert "<td>Recipient unreachable</td><td>2</td><td>21612, 30003</td>" in response.content.decode()


def test_an_empty_tenant_says_so(staff_client, tenant_a):
    page = staff_client.get(URL).content.decode()
    assert "Nothing stranded." in page
    assert "No failures." in page
    assert "No messages yet." in page


def test_the_page_is_read_only(staff_client, tenant_a):
    sender = SenderFactory(tenant=tenant_a)
    MessageFactory(tenant=tenant_a, sender=sender, status="queued", queued_at=ago(hours=1))
    page = staff_client.get(URL).content.decode()
    content = page.split('id="content-main"')[1]
    assert content.count("<form") == 1  # the delivery-log search, which only reads
    assert 'method="post"' not in content


def test_staff_without_the_view_permission_and_tenant_users_are_refused(public_client, tenant_a, acme_member):
    public_client.force_login(UserFactory(email="nobody@switchboard.test", is_staff=True))
    assert public_client.get(URL).status_code == 403
    public_client.force_login(acme_member("owner"))
    response = public_client.get(URL)
    assert (response.status_code, response["Location"].startswith("/admin/login/")) == (302, True)


def test_an_unknown_tenant_is_not_found(staff_client):
    assert staff_client.get("/admin/tenants/tenant/nobody/messages/").status_code == 404
