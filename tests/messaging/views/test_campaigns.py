"""The campaign pages: a draft composed with A/B variants, previewed, preflighted, launched, followed and canceled;
bad input shown under its field; an analyst cannot reach them; staff read a tenant's campaigns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from messaging.models import Campaign, Message
from tenants.models import User
from tests.factories import CampaignFactory, ContactFactory, ContactListFactory, SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

NOON_NY = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def operator_a(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    return client_a


def test_a_campaign_composed_previewed_checked_launched_and_canceled(
    operator_a, tenant_a, dispatch_index, django_capture_on_commit_callbacks
):
    sender = SenderFactory(tenant=tenant_a, address="+14165550100", mps=1)
    contacts = [ContactFactory(tenant=tenant_a, phone_number=f"+121255501{i:02d}", name=f"P{i} Doe") for i in range(3)]
    group = ContactListFactory(tenant=tenant_a, name="Customers", contacts=contacts)
    with time_machine.travel(NOON_NY, tick=False):
        # composed
        form = {"name": "Winter", "category": "transactional", "sender": f"sender:{sender.pk}",
                "body": "Hi {{ first_name }}", "variant_b": "Hello {{ first_name }}", "split": "50/50",
                "lists": [str(group.pk)], "schedule": "now"}  # fmt: skip
        saved = operator_a.post("/campaigns/new/", form)
        assert saved.status_code == 302, saved.context["form"].errors
        with in_tenant(tenant_a):
            campaign = Campaign.objects.get()
            assert [(v.label, v.percent) for v in campaign.variants.all()] == [("A", 50), ("B", 50)]
        page = operator_a.get(f"/campaigns/{campaign.pk}/")
        assert page.context["preview"].recipients == 3
        assert 'data-testid="segment-counter"' in operator_a.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
        # preflight
        operator_a.post(f"/campaigns/{campaign.pk}/preflight/")
        report = operator_a.get(f"/campaigns/{campaign.pk}/preflight/")
        assert (report.context["report"]["recipients"], report.context["report"]["blocking"]) == (3, False)
        assert 'data-testid="preflight-clear"' in report.content.decode()
        # launched, followed
        with django_capture_on_commit_callbacks(execute=True):
            operator_a.post(f"/campaigns/{campaign.pk}/launch/")
        progress = operator_a.get(f"/campaigns/{campaign.pk}/progress/").json()
        assert (progress["state"], progress["counts"]["queued"], progress["expanded"]) == ("running", 3, 3)
        live = operator_a.get(f"/campaigns/{campaign.pk}/").content.decode()
        assert 'data-campaign-progress="/campaigns/' in live and 'data-testid="pause"' in live
        # canceled
        with django_capture_on_commit_callbacks(execute=True):
            operator_a.post(f"/campaigns/{campaign.pk}/cancel/")
    with in_tenant(tenant_a):
        assert Campaign.objects.get().state == "canceled"
        assert set(Message.objects.values_list("status", flat=True)) == {"canceled"}


def test_bad_input_is_shown_under_its_field_and_nothing_is_stored(operator_a, tenant_a):
    answer = operator_a.post("/campaigns/new/", {"name": "X", "category": "marketing", "body": "Hi {{ name",
                                                 "schedule": "now"})  # fmt: skip
    assert (answer.status_code, answer.context["form"].errors) == (
        400, {"body": ["'{{' at character 4 is never closed with '}}'"]}
    )  # fmt: skip
    with in_tenant(tenant_a):
        assert Campaign.objects.count() == 0


def test_an_analyst_cannot_reach_campaigns(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    assert client_a.get("/campaigns/").status_code == 403


def test_staff_read_a_tenants_campaigns(public_client, tenant_a, tenant_b):
    CampaignFactory(tenant=tenant_a, name="Acme winter")
    CampaignFactory(tenant=tenant_b, name="Globex spring")
    public_client.force_login(User.objects.create_superuser("staff@switchboard.test", "pw-staff-1"))
    page = public_client.get("/admin/tenants/tenant/acme/campaigns/")
    assert [c.name for c, _ in page.context["campaigns"]] == ["Acme winter"]
