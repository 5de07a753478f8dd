"""`seed_demo` against the running sandbox: the demo tenants' subaccounts and numbers exist there, and a test
message from a demo sender, taken by the engine, reaches the handset — through the real `twilio` client over HTTP;
the demo campaign waits as a draft."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from compliance.models import ComplianceSettings
from messaging.dispatch import sending as dispatch_sending
from messaging.gateways import use_gateway
from messaging.models import Campaign, Sender
from messaging.services.campaigns.audience import audience
from messaging.services.campaigns.content import audience_preview, version_for, versions
from messaging.services.campaigns.preflight import campaign_preflight
from messaging.services.messages import sender_test_send
from tenants.models import Tenant
from tests.fixtures.sandbox import wait_for

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_seed_demo_provisions_subaccounts_and_numbers_in_the_sandbox(sandbox, settings):
    settings.COMPLIANCE_DEFAULT_EXEMPT_CATEGORIES = []  # development's default: every category keeps the hours
    with use_gateway(sandbox.gateway()):
        call_command("seed_demo")
        call_command("seed_demo")  # idempotent: a second start changes nothing

        acme = Tenant.objects.get(slug="acme")
        accounts = {a["friendly_name"]: a["sid"] for a in sandbox.control("GET", "/sandbox/api/accounts")["accounts"]}
        assert accounts["switchboard:acme"] == acme.twilio_subaccount_sid
        senders = {s["address"]: s for s in sandbox.control("GET", "/sandbox/api/senders")["senders"]}
        assert (senders["+15017122661"]["account_sid"], senders["+15017122661"]["kind"]) == (
            acme.twilio_subaccount_sid,
            "long_code",
        )
        assert senders["+18445550100"]["kind"] == "toll_free"

        connection.set_tenant(acme)
        assert sorted(ComplianceSettings.objects.get().exempt_categories) == ["passcode", "transactional"]
        sender = Sender.objects.get(address="+15017122661")
        assert (sender.label, sender.twilio_sid) == ("Front desk", senders["+15017122661"]["sid"])
        # a draft A/B campaign to the demo contacts, once however often the seed runs
        campaign = Campaign.objects.get()
        assert (campaign.name, campaign.state, campaign.category, campaign.track_links, campaign.sender) == (
            "Winter check-up offer", "draft", "marketing", True, sender
        )  # fmt: skip
        assert [(v.label, v.percent) for v in campaign.variants.all()] == [("A", 50), ("B", 50)]
        assert audience_preview(campaign).recipients == 27
        checked = campaign_preflight(tenant=acme, campaign=campaign).preflight
        # each contact's variant is a hash of the campaign's and the contact's ids: both variants reach some of 27
        split = Counter(version_for(campaign.pk, pk, versions(campaign)).label for pk in audience(campaign).values_list(
            "pk", flat=True))  # fmt: skip
        assert {variant["label"]: variant["recipients"] for variant in checked["variants"]} == dict(split)
        assert sum(split.values()) == 27 and min(split.values()) > 0
        assert (checked["blocking"], checked["compliance"]["blocked"]) == (False, 0)  # it says how to opt out
        queued = sender_test_send(tenant=acme, sender=sender, to="+14155550142", body="Demo works")
        # the engine's step for one message, in this test's transaction
        dispatch_sending.forget_tenant(acme.schema_name)
        outcome = dispatch_sending.process(acme.schema_name, queued.pk)
    message = wait_for(lambda: next(iter(sandbox.inbox("+14155550142")), None))
    assert (message["from"], message["body"], outcome) == ("+15017122661", "Demo works", "accepted")
