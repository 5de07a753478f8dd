"""The list pages: lists created (a name taken refused under its field), renamed and deleted."""

from __future__ import annotations

import pytest

from messaging.models import ContactList
from tests.factories import in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_a(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    return client_a


def test_lists_are_created_renamed_and_deleted(operator_a, tenant_a):
    assert operator_a.post("/contacts/lists/add/", {"name": "VIP"}).status_code == 302
    conflict = operator_a.post("/contacts/lists/add/", {"name": "vip"})
    assert (conflict.status_code, conflict.context["form"].errors) == (
        400,
        {"name": ["a list named 'vip' exists already"]},
    )
    with in_tenant(tenant_a):
        vip = ContactList.objects.get()
    operator_a.post(f"/contacts/lists/{vip.pk}/", {"name": "Gold", "description": "Top"})
    listed = operator_a.get("/contacts/lists/")
    assert [(item.name, item.description, item.members) for item in listed.context["lists"]] == [("Gold", "Top", 0)]
    operator_a.post(f"/contacts/lists/{vip.pk}/delete/")
    with in_tenant(tenant_a):
        assert ContactList.objects.count() == 0
