"""factory_boy factories for the tests, and `in_tenant`, the one way a test acts inside a tenant's schema.

Public-schema rows (users, memberships) are made anywhere; tenant-schema rows take `tenant=` and are made inside
that tenant's schema, whatever schema the test is in: `SenderFactory(tenant=tenant_a, kind="toll_free")`.
"""

from tests.factories.base import in_tenant
from tests.factories.compliance import ConsentFactory, NumberLookupFactory
from tests.factories.messaging import (
    CampaignFactory,
    ContactFactory,
    ContactListFactory,
    MessageFactory,
    SenderFactory,
    SenderPlanFactory,
    SenderPoolFactory,
    csv_upload,
    plan_answers,
)
from tests.factories.tenants import MembershipFactory, UserFactory
from tests.factories.webhooks import WebhookEndpointFactory

__all__ = [
    "CampaignFactory",
    "ConsentFactory",
    "ContactFactory",
    "ContactListFactory",
    "MembershipFactory",
    "MessageFactory",
    "NumberLookupFactory",
    "SenderFactory",
    "SenderPlanFactory",
    "SenderPoolFactory",
    "UserFactory",
    "WebhookEndpointFactory",
    "csv_upload",
    "in_tenant",
    "plan_answers",
]
