"""The staff admin's read-only page of a tenant's ordered sequences: that tenant's only, each part's status; staff
only."""

from __future__ import annotations

import pytest

from messaging.services.sequences import PartContent, sequence_create
from tests.factories import SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

PAGE = "/admin/tenants/tenant/acme/sequences/"


def test_staff_see_a_tenants_sequences_and_their_parts(staff_client, tenant_a, tenant_b, dispatch_index):
    # given a sequence in each tenant
    parts = [PartContent(body="one"), PartContent(body="two")]
    acme_sender = SenderFactory(tenant=tenant_a, address="+14165550100", mps=10)
    with in_tenant(tenant_a):
        acme = sequence_create(tenant=tenant_a, to="+14165550199", parts=parts, sender=acme_sender)
    globex_sender = SenderFactory(tenant=tenant_b, address="+447911123456", country="GB", mps=10)
    with in_tenant(tenant_b):
        globex = sequence_create(tenant=tenant_b, to="+447400123456", parts=parts, sender=globex_sender)
    # when
    page = staff_client.get(PAGE)
    # then
    assert page.status_code == 200
    (shown,) = page.context["sequences"]
    assert (shown.uuid, [(p.position, p.status) for p in shown.parts.all()]) == (
        acme.uuid,
        [(1, "sent"), (2, "pending")],
    )
    html = page.content.decode()
    assert str(globex.uuid) not in html
    assert "Ordered sequences" in staff_client.get(f"/admin/tenants/tenant/{tenant_a.pk}/change/").content.decode()


def test_the_page_is_for_staff_only(public_client, acme_member, tenant_a):
    public_client.force_login(acme_member("owner"))
    response = public_client.get(PAGE)
    assert (response.status_code, response["Location"].startswith("/admin/login/")) == (302, True)
