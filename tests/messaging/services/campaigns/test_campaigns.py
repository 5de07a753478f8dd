"""Campaigns through their services: drafts checked field by field, the audience, the preflight, the launch, the
fan-out into messages (once each, resumable, under back-pressure) and pause, resume, cancel and completion."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection

from compliance.services.register import opt_out_record
from messaging.dispatch import keys
from messaging.domain.links import LinkCode
from messaging.errors import (
    CampaignNotEditable,
    CampaignPreflightBlocked,
    CampaignPreflightRequired,
    CampaignTransitionRefused,
    UnprocessableInput,
)
from messaging.models import Campaign, Message, TrackedLink
from messaging.services.campaigns import content
from messaging.services.campaigns.audience import audience
from messaging.services.campaigns.drafts import campaign_update
from messaging.services.campaigns.fanout import campaign_expand
from messaging.services.campaigns.lifecycle import (
    campaign_cancel,
    campaign_complete_if_done,
    campaign_launch,
    campaign_pause,
    campaign_resume,
)
from messaging.services.campaigns.preflight import campaign_preflight
from messaging.services.links import link_base, link_signer
from tests.factories import ConsentFactory, ContactFactory, ContactListFactory, MessageFactory
from tests.messaging.services.campaigns.conftest import NOON_NY, draft

pytestmark = pytest.mark.django_db


def lane(schema: str, sender_id: int) -> list[str]:
    from messaging.dispatch import redis_index

    name = keys.lane_keys(keys.lane_name(schema, sender_id))["bulk"]
    return sorted(member.decode() for member in redis_index.client().zrange(name, 0, -1))


# --- drafts -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error", "field", "message"),
    [
        ({"name": " "}, UnprocessableInput, "name", "a campaign needs a name"),
        ({"body": "Hi {{ first_name"}, UnprocessableInput, "body",
         "'{{' at character 4 is never closed with '}}'"),
        ({"variants": [{"body": "A", "percent": 50}]}, UnprocessableInput, "variants",
         "an A/B test has 2 to 5 variants"),
        ({"variants": [{"body": "A", "percent": 50}, {"body": "{{ x | nope }}", "percent": 50}]},
         UnprocessableInput, "variants[1].body",
         "unknown filter 'nope' at character 1 (known: default, upper, lower, capitalize, trim)"),
        ({"variants": [{"body": "A", "percent": 50}, {"body": "B", "percent": 40}]}, UnprocessableInput, "variants",
         "the variants' percentages sum to 90, not 100"),
        ({"list_ids": [999]}, UnprocessableInput, "list_ids", "no list has id 999"),
        ({"attribute_filters": [{"key": "plan", "op": "like"}]}, UnprocessableInput,
         "attribute_filters[0].op", "op must be one of eq, ne, exists, missing"),
        ({"category": "keyword_reply"}, UnprocessableInput, "category",
         "category must be one of marketing, transactional, passcode"),
        ({"schedule": "at"}, UnprocessableInput, "send_at", "a campaign scheduled at a time needs send_at"),
        ({"media_urls": ["http://x.test/a.png"]}, UnprocessableInput, "media_urls[0]",
         "'http://x.test/a.png' is not an https URL Twilio can fetch"),
        ({"validity_period": 0}, UnprocessableInput, "validity_period",
         "validity_period must be between 1 and 36,000 seconds"),
    ],
)  # fmt: skip
def test_a_draft_is_refused_naming_the_field_and_nothing_is_stored(in_tenant_a, fields, error, field, message):
    with pytest.raises(error) as caught:
        draft(in_tenant_a, **fields)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert Campaign.objects.count() == 0


def test_only_a_draft_can_be_changed(in_tenant_a, customers, sender):
    campaign = draft(in_tenant_a, body="Hi", list_ids=[customers[0].pk], sender=sender)
    Campaign.objects.filter(pk=campaign.pk).update(state="canceled", launched_at=NOON_NY, finished_at=NOON_NY)
    with pytest.raises(CampaignNotEditable):
        campaign_update(campaign=campaign, fields={"body": "Hello"})
    campaign.refresh_from_db()
    assert campaign.body == "Hi"


# --- audience -----------------------------------------------------------------------------------------------------


def test_the_audience_is_lists_or_tags_with_filters_and_exclusions(in_tenant_a):
    a = ContactFactory(tenant=in_tenant_a, attributes={"plan": "gold"})
    b = ContactFactory(tenant=in_tenant_a, attributes={"plan": "free"}, tags=["vip"])
    c = ContactFactory(tenant=in_tenant_a, attributes={}, tags=["vip"])
    d = ContactFactory(tenant=in_tenant_a, attributes={"plan": "gold"}, tags=["vip", "staff"])
    ContactFactory(tenant=in_tenant_a, attributes={"plan": "gold"})  # on nothing
    on_list = ContactListFactory(tenant=in_tenant_a, contacts=[a])
    blocked = ContactListFactory(tenant=in_tenant_a, contacts=[c])

    def ids(**fields):
        return sorted(audience(Campaign(**fields)).values_list("pk", flat=True))

    assert ids() == []
    assert ids(list_ids=[on_list.pk], tags=["vip"]) == sorted([a.pk, b.pk, c.pk, d.pk])
    assert ids(list_ids=[on_list.pk], tags=["vip"], exclude_tags=["staff"], exclude_list_ids=[blocked.pk]) == sorted(
        [a.pk, b.pk]
    )
    gold = [{"key": "plan", "op": "eq", "value": "gold"}]
    assert ids(tags=["vip"], attribute_filters=gold) == [d.pk]
    not_gold = [{"key": "plan", "op": "ne", "value": "gold"}]
    assert ids(tags=["vip"], attribute_filters=not_gold) == sorted([b.pk, c.pk])
    assert ids(tags=["vip"], attribute_filters=[{"key": "plan", "op": "missing", "value": ""}]) == [c.pk]


# --- preflight and launch -----------------------------------------------------------------------------------------


def test_the_preflight_counts_rules_and_template_problems_and_is_stored(in_tenant_a, noon, customers, sender):
    contact_list, contacts = customers
    opt_out_record(tenant=in_tenant_a, number=contacts[3].phone_number, source="api", actor_label="k")
    campaign = draft(
        in_tenant_a, list_ids=[contact_list.pk], sender=sender,
        variants=[{"body": "Hi {{ first_name }}, your {{ attributes.plan }} plan", "percent": 50},
                  {"body": "Hello {{ first_name }} ☃", "percent": 50}],
    )  # fmt: skip
    # when
    checked = campaign_preflight(tenant=in_tenant_a, campaign=campaign, actor_label="ada@acme.test")
    # then
    report = checked.preflight
    assert (checked.preflight_at, checked.preflight_by, report["recipients"], report["blocking"]) == (
        NOON_NY, "ada@acme.test", 10, False
    )  # fmt: skip
    compliance = report["compliance"]
    assert (compliance["blocked"], compliance["deferred"]) == (1, 0)
    opt01 = next(r for r in compliance["rules"] if r["rule"] == "OPT-01")
    assert (opt01["severity"], opt01["recipients"], opt01["samples"]) == ("block", 1, [contacts[3].phone_number])
    a, b = report["variants"]
    assert a["recipients"] + b["recipients"] == 9
    assert (b["ucs2_recipients"], a["ucs2_recipients"]) == (b["recipients"], 0)
    missing = a["missing_attributes"]
    assert [m["path"] for m in missing] == ["attributes.plan"]
    assert report["estimate"]["segments"] == 9
    assert report["estimate"]["drain_seconds"] == 5  # 9 segments at 2 MPS
    codes = sorted(f["code"] for f in report["findings"])
    assert codes == ["missing_attribute", "ucs2"]


def test_a_first_marketing_message_without_opt_out_language_is_blocked_at_the_preflight(
    in_tenant_a, noon, customers, sender
):
    # The batch check knows each recipient's marketing history, as the check before sending does.
    contact_list, contacts = customers
    for contact in contacts:
        ConsentFactory(tenant=in_tenant_a, number=contact.phone_number)
    earlier = MessageFactory(tenant=in_tenant_a, sender=sender, to=contacts[0].phone_number, category="marketing",
                             status="delivered", created_at=NOON_NY - timedelta(days=30))  # fmt: skip
    campaign = draft(in_tenant_a, list_ids=[contact_list.pk], sender=sender, category="marketing",
                     body="Winter sale today")  # fmt: skip
    report = campaign_preflight(tenant=in_tenant_a, campaign=campaign).preflight
    cont03 = next(r for r in report["compliance"]["rules"] if r["rule"] == "CONT-03")
    assert (cont03["severity"], cont03["recipients"]) == ("block", 9)
    assert earlier.to not in cont03["samples"]
    assert report["compliance"]["blocked"] == 9
    # with the opt-out language, nobody is blocked
    campaign = campaign_update(campaign=campaign, fields={"body": "Winter sale today. Reply STOP to opt out"})
    report = campaign_preflight(tenant=in_tenant_a, campaign=campaign).preflight
    assert (report["compliance"]["blocked"], report["compliance"]["clean"]) == (0, 10)


def test_launch_needs_a_current_clean_preflight(in_tenant_a, noon, customers, sender):
    campaign = draft(in_tenant_a, body="Hi", list_ids=[customers[0].pk], sender=sender)
    with pytest.raises(CampaignPreflightRequired):
        campaign_launch(tenant=in_tenant_a, campaign=campaign)
    campaign = campaign_preflight(tenant=in_tenant_a, campaign=campaign)
    campaign_update(campaign=campaign, fields={"body": "Hello"})  # a change clears the report
    with pytest.raises(CampaignPreflightRequired):
        campaign_launch(tenant=in_tenant_a, campaign=campaign)
    campaign_update(campaign=campaign, fields={"sender": None})
    campaign = campaign_preflight(tenant=in_tenant_a, campaign=campaign)
    with pytest.raises(CampaignPreflightBlocked) as caught:
        campaign_launch(tenant=in_tenant_a, campaign=campaign)
    assert caught.value.extra["findings"] == [
        {"code": "no_sender", "severity": "block", "message": "choose a sender or a pool to send from"}
    ]
    campaign.refresh_from_db()
    assert (campaign.state, Message.objects.count()) == ("draft", 0)


def launched(tenant, campaign, captured):
    campaign = campaign_preflight(tenant=tenant, campaign=campaign)
    with captured(execute=True):
        return campaign_launch(tenant=tenant, campaign=campaign, actor_label="ada@acme.test")


# --- fan-out ------------------------------------------------------------------------------------------------------


def test_launch_expands_the_audience_once_each_with_suppression_variants_and_personalisation(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    contact_list, contacts = customers
    opt_out_record(tenant=in_tenant_a, number=contacts[3].phone_number, source="api", actor_label="k")
    campaign = draft(
        in_tenant_a, list_ids=[contact_list.pk], sender=sender,
        variants=[{"body": 'Hi {{ first_name }} ({{ attributes.plan | default:"free" }})', "percent": 70},
                  {"body": "Hello {{ first_name | upper }}", "percent": 30}],
    )  # fmt: skip
    # when (the fan-out task runs eagerly on commit)
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    # then every recipient has one message: the opted-out one suppressed, the rest queued in the bulk lane
    campaign.refresh_from_db()
    assert (campaign.state, campaign.expanded, campaign.expansion_done, campaign.recipients) == (
        "running", 10, True, 10
    )  # fmt: skip
    messages = {m.contact_id: m for m in Message.objects.filter(campaign=campaign)}
    assert len(messages) == 10
    suppressed = messages[contacts[3].pk]
    assert (suppressed.status, suppressed.failure_reason, suppressed.error_message[:7]) == (
        "suppressed", "opted_out", "OPT-01:"
    )  # fmt: skip
    queued = [m for m in messages.values() if m.status == "queued"]
    assert len(queued) == 9
    for contact in contacts:
        message = messages[contact.pk]
        plan = contact.attributes.get("plan", "free")
        first = contact.name.split()[0]
        expected = {"A": f"Hi {first} ({plan})", "B": f"Hello {first.upper()}"}[message.campaign_variant.label]
        assert (message.body, message.lane, message.source, message.to) == (
            expected, "bulk", "campaign", contact.phone_number
        )  # fmt: skip
        assert message.segments == 1
    assert lane(in_tenant_a.schema_name, sender.pk) == sorted(f"{m.pk}:1" for m in queued)
    # when the expansion runs again from the start (a worker died before its cursor moved)
    Campaign.objects.filter(pk=campaign.pk).update(expansion_cursor=0, expansion_done=False)
    report = campaign_expand(tenant=in_tenant_a, campaign_id=campaign.pk)
    # then nobody gets a second message
    assert (report.outcome, Message.objects.filter(campaign=campaign).count()) == ("done", 10)


def test_expansion_goes_in_chunks_and_resumes_from_its_cursor(
    in_tenant_a, noon, customers, sender, dispatch_index, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_CHUNKS_PER_TASK = 1
    settings.CAMPAIGN_CHUNK = 4
    contact_list, contacts = customers
    campaign = draft(in_tenant_a, body="Hi", list_ids=[contact_list.pk], sender=sender)
    campaign = campaign_preflight(tenant=in_tenant_a, campaign=campaign)
    with django_capture_on_commit_callbacks(execute=False):
        campaign_launch(tenant=in_tenant_a, campaign=campaign)  # the wake-up is lost
    # when one chunk is expanded
    first = campaign_expand(tenant=in_tenant_a, campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert (first.outcome, first.expanded, campaign.expansion_cursor) == ("more", 4, contacts[3].pk)
    # then the rest, chunk by chunk
    outcomes = [campaign_expand(tenant=in_tenant_a, campaign_id=campaign.pk).outcome for _ in range(3)]
    assert outcomes == ["more", "done", "stopped"]
    assert sorted(Message.objects.filter(campaign=campaign).values_list("contact_id", flat=True)) == [
        c.pk for c in contacts
    ]


def test_a_full_outbox_holds_the_expansion_back(
    in_tenant_a, noon, customers, sender, dispatch_index, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_OUTBOX_THRESHOLD = 1
    MessageFactory.create_batch(2, tenant=in_tenant_a, sender=sender, status="queued")
    campaign = draft(in_tenant_a, body="Hi", list_ids=[customers[0].pk], sender=sender)
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    campaign.refresh_from_db()
    assert (campaign.state, campaign.expanded, Message.objects.filter(campaign=campaign).count()) == ("running", 0, 0)
    # when the outbox drains below the threshold
    Message.objects.filter(campaign__isnull=True).update(status="canceled", canceled_at=NOON_NY)
    report = campaign_expand(tenant=in_tenant_a, campaign_id=campaign.pk)
    assert (report.outcome, report.expanded) == ("done", 10)


def test_local_time_gives_each_recipient_its_own_send_at(
    in_tenant_a, noon, sender, dispatch_index, django_capture_on_commit_callbacks
):
    paris = ContactFactory(tenant=in_tenant_a, phone_number="+12125550150", time_zone="Europe/Paris")
    la = ContactFactory(tenant=in_tenant_a, phone_number="+12125550151", time_zone="America/Los_Angeles")
    by_number = ContactFactory(tenant=in_tenant_a, phone_number="+12125550152")  # New York, from the number
    group = ContactListFactory(tenant=in_tenant_a, contacts=[paris, la, by_number])
    campaign = draft(in_tenant_a, body="Hi", list_ids=[group.pk], sender=sender, schedule="local",
                     local_date=date(2026, 12, 3), local_time=time(10, 0))  # fmt: skip
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    send_at = dict(Message.objects.filter(campaign=campaign).values_list("contact_id", "send_at"))
    assert send_at == {
        paris.pk: datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
        la.pk: datetime(2026, 12, 3, 18, 0, tzinfo=UTC),
        by_number.pk: datetime(2026, 12, 3, 15, 0, tzinfo=UTC),
    }
    assert set(Message.objects.filter(campaign=campaign).values_list("status", flat=True)) == {"scheduled"}


def test_a_campaign_at_a_later_time_is_scheduled_and_expands_when_due(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    later = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    campaign = draft(in_tenant_a, body="Hi", list_ids=[customers[0].pk], sender=sender, schedule="at", send_at=later)
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    campaign.refresh_from_db()
    assert (campaign.state, Message.objects.count()) == ("scheduled", 0)
    from messaging.services.campaigns.lifecycle import campaigns_sweep

    assert campaigns_sweep(schema=in_tenant_a.schema_name) == 0  # an hour ahead: the sweep leaves it
    noon.move_to(later)
    assert campaigns_sweep(schema=in_tenant_a.schema_name) == 1  # due: woken, and (eagerly) expanded
    campaign.refresh_from_db()
    assert (campaign.state, Message.objects.filter(status="queued").count()) == ("running", 10)


# --- pause, resume, cancel, completion ----------------------------------------------------------------------------


def test_pause_holds_what_is_unclaimed_resume_sends_it_cancel_stops_it(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    campaign = draft(in_tenant_a, body="Hi", list_ids=[customers[0].pk], sender=sender)
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    claimed = Message.objects.filter(campaign=campaign).order_by("pk").first()
    # a worker took one from its lane and claimed it
    dispatch_index.remove(schema=in_tenant_a.schema_name, sender_id=sender.pk, message_id=claimed.pk, segments=1)
    Message.objects.filter(pk=claimed.pk).update(status="sending", claim_token="00000000-0000-0000-0000-000000000001")
    # when paused
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_pause(tenant=in_tenant_a, campaign=campaign, actor_label="ada")
    statuses = dict(Message.objects.filter(campaign=campaign).values_list("pk", "status"))
    assert (campaign.state, sorted(statuses.values()).count("held"), statuses[claimed.pk]) == ("paused", 9, "sending")
    assert lane(in_tenant_a.schema_name, sender.pk) == []
    with pytest.raises(CampaignTransitionRefused):
        campaign_pause(tenant=in_tenant_a, campaign=campaign)
    # when resumed
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_resume(tenant=in_tenant_a, campaign=campaign)
    assert campaign.state == "running"
    assert Message.objects.filter(campaign=campaign, status="queued").count() == 9
    assert len(lane(in_tenant_a.schema_name, sender.pk)) == 9
    # when canceled
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_cancel(tenant=in_tenant_a, campaign=campaign)
    assert (campaign.state, campaign.finished_at) == ("canceled", NOON_NY)
    assert Message.objects.filter(campaign=campaign, status="canceled").count() == 9
    assert lane(in_tenant_a.schema_name, sender.pk) == []
    assert list(Message.objects.get(pk=claimed.pk).events.values_list("kind", flat=True)) == ["created"]


def test_a_campaign_completes_once_nothing_waits(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    campaign = draft(in_tenant_a, body="Hi", list_ids=[customers[0].pk], sender=sender)
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    assert campaign_complete_if_done(campaign_id=campaign.pk).state == "running"
    Message.objects.filter(campaign=campaign).update(status="sent", sent_at=NOON_NY)
    done = campaign_complete_if_done(campaign_id=campaign.pk)
    assert (done.state, done.finished_at) == ("completed", NOON_NY)


def test_the_sweep_wakes_an_expansion_that_lost_its_wake_up_and_completes_the_finished(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    from messaging.services.campaigns.lifecycle import campaigns_sweep

    campaign = draft(in_tenant_a, body="Hi", list_ids=[customers[0].pk], sender=sender)
    campaign = campaign_preflight(tenant=in_tenant_a, campaign=campaign)
    with django_capture_on_commit_callbacks(execute=False):
        campaign_launch(tenant=in_tenant_a, campaign=campaign)  # the wake-up is lost
    from django.core.cache import cache

    cache.clear()
    # when the sweep runs (the fan-out task runs eagerly)
    assert campaigns_sweep(schema=in_tenant_a.schema_name) == 1
    campaign.refresh_from_db()
    assert (campaign.expanded, campaign.expansion_done) == (10, True)
    # and once every message has left, the next sweep completes it
    Message.objects.filter(campaign=campaign).update(status="sent", sent_at=NOON_NY)
    assert campaigns_sweep(schema=in_tenant_a.schema_name) == 0
    campaign.refresh_from_db()
    assert campaign.state == "completed"


def test_tracked_links_give_each_recipient_a_short_link_of_its_own_and_variant(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    contact_list, _ = customers
    url = "https://shop.example.com/winter"
    campaign = draft(
        in_tenant_a, list_ids=[contact_list.pk], sender=sender, track_links=True,
        variants=[{"body": f"Sale: {url} ok", "percent": 50}, {"body": f"Winter {url}", "percent": 50}],
    )  # fmt: skip
    # when it is launched (expanded eagerly on commit)
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    # then one tracked link per variant body's URL, and each message carries a code naming its contact and variant
    (link,) = TrackedLink.objects.filter(owner_kind="campaign", owner_id=campaign.pk)
    assert link.url == url
    base = link_base(in_tenant_a)
    signer = link_signer(in_tenant_a.pk)
    messages = list(Message.objects.filter(campaign=campaign).select_related("campaign_variant"))
    assert len(messages) == 10
    for message in messages:
        label = message.campaign_variant.label
        prefix = {"A": "Sale: ", "B": "Winter "}[label]
        assert message.body.startswith(prefix + base) and url not in message.body
        code = message.body[len(prefix + base) :].split(" ")[0]
        assert signer.verify(code) == LinkCode(link_id=link.pk, recipient_ref=message.contact_id, variant=label)
    # every short link of the tenant has one length: the segments do not depend on the recipient
    assert {len(m.body) - len(m.campaign_variant.body) for m in messages} == {len(base) + 19 - len(url)}


def test_a_worker_that_never_prepared_the_links_makes_them_in_the_fanout_task(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    # The preflight prepares the links in the web process; the fan-out task runs in a worker's, which starts without
    # them and sets the schema by name.
    contact_list, _ = customers
    campaign = draft(in_tenant_a, list_ids=[contact_list.pk], sender=sender, track_links=True,
                     body="Sale: https://shop.example.com/winter")  # fmt: skip
    campaign = campaign_preflight(tenant=in_tenant_a, campaign=campaign)
    with django_capture_on_commit_callbacks(execute=False):
        campaign = campaign_launch(tenant=in_tenant_a, campaign=campaign, actor_label="ada@acme.test")
    content._prepared.clear()
    connection.set_schema(in_tenant_a.schema_name)  # as a tenant task does
    try:
        report = campaign_expand(tenant=in_tenant_a, campaign_id=campaign.pk)
    finally:
        connection.set_tenant(in_tenant_a)
    assert report.outcome == "done"
    base = link_base(in_tenant_a)
    bodies = set(Message.objects.filter(campaign=campaign).values_list("body", flat=True))
    assert len(bodies) == 10
    assert all(body.startswith("Sale: " + base) and len(body) == len("Sale: " + base) + 19 for body in bodies)


def test_without_tracking_a_campaigns_links_are_sent_as_written(
    in_tenant_a, noon, customers, sender, dispatch_index, django_capture_on_commit_callbacks
):
    contact_list, _ = customers
    campaign = draft(in_tenant_a, list_ids=[contact_list.pk], sender=sender, body="See https://shop.example.com/w")
    campaign = launched(in_tenant_a, campaign, django_capture_on_commit_callbacks)
    assert set(Message.objects.filter(campaign=campaign).values_list("body", flat=True)) == {
        "See https://shop.example.com/w"
    }
    assert TrackedLink.objects.count() == 0
