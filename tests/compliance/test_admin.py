"""The staff admin's read-only page of a tenant's opt-outs and rule settings: that tenant's only; staff only."""

from __future__ import annotations

import pytest

from compliance.services.register import opt_out_record
from compliance.services.settings import settings_update
from tests.factories import in_tenant

pytestmark = pytest.mark.django_db

PAGE = "/admin/tenants/tenant/acme/compliance/"


def test_staff_see_a_tenants_register_and_settings_read_only(staff_client, tenant_a, tenant_b):
    # given
    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number="+14155550123", source="keyword", keyword="STOP", actor_label="handset")
        settings_update(tenant=tenant_a, actor_label="tests", max_segments=4)
    with in_tenant(tenant_b):
        opt_out_record(tenant=tenant_b, number="+447700900123", source="api", actor_label="tests")
    # when
    page = staff_client.get(PAGE)
    # then
    assert page.status_code == 200
    assert [e.number for e in page.context["events"]] == ["+14155550123"]
    assert (page.context["counts"]["opted_out"], page.context["settings"].max_segments) == (1, 4)
    html = page.content.decode()
    assert "+447700900123" not in html
    assert "<form" not in html.split('id="content-main"')[1]
    assert "Opt-outs and rules" in staff_client.get(f"/admin/tenants/tenant/{tenant_a.pk}/change/").content.decode()


def test_the_page_is_for_staff_only(public_client, acme_member, tenant_a):
    public_client.force_login(acme_member("owner"))
    response = public_client.get(PAGE)
    assert (response.status_code, response["Location"].startswith("/admin/login/")) == (302, True)
