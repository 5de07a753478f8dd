"""Selectors of the messaging app: contacts found by list, tag, status and a search of number or name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import selectors
from tests.factories import ContactFactory, ContactListFactory

pytestmark = pytest.mark.django_db


def test_contacts_are_found_by_list_tag_status_and_a_search_of_number_or_name(in_tenant_a):
    vip = ContactListFactory(tenant=in_tenant_a, name="VIP")
    ann = ContactFactory(tenant=in_tenant_a, phone_number="+14155550100", name="Ann Lee", tags=["gold"], lists=[vip])
    bo = ContactFactory(tenant=in_tenant_a, phone_number="+14155550199", name="Bo Lee", tags=[])
    cy = ContactFactory(
        tenant=in_tenant_a, phone_number="+447911123456", name="Cy", status="unsendable", unsendable_reason="x",
        unsendable_since=timezone.now() - timedelta(days=1),
    )  # fmt: skip

    def found(**filters):
        return list(selectors.contacts_matching(**filters))

    assert found() == [cy, bo, ann]
    assert found(list_id=vip.pk) == [ann]
    assert found(tag="Gold") == [ann]
    assert found(status="unsendable") == [cy]
    assert found(search="(415) 555-01") == [bo, ann]
    assert found(search="lee") == [bo, ann]
    assert found(search="+44") == [cy]
