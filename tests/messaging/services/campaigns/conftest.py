"""A clock at noon in New York, a sender and contacts in New York, and helpers to build campaigns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from messaging.services.campaigns.drafts import campaign_create
from tests.factories import ContactFactory, ContactListFactory, SenderFactory

NOON_NY = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def noon():
    with time_machine.travel(NOON_NY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sender(in_tenant_a):
    return SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=2)


@pytest.fixture
def customers(in_tenant_a):
    """A list of 10 New York contacts, +12125550100 to +12125550109, the odd ones with a plan."""
    contacts = [
        ContactFactory(
            tenant=in_tenant_a,
            phone_number=f"+121255501{i:02d}",
            name=f"Person{i} Smith",
            attributes={"plan": "gold"} if i % 2 else {},
        )
        for i in range(10)
    ]
    return ContactListFactory(tenant=in_tenant_a, name="Customers", contacts=contacts), contacts


def draft(tenant, **fields):
    fields.setdefault("name", "Winter")
    fields.setdefault("category", "transactional")
    return campaign_create(tenant=tenant, fields=fields, actor_label="ada@acme.test")
