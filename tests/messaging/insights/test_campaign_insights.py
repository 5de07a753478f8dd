"""Insights by campaign and A/B variant: the rollup's campaign and variant keys, messages that carry tracked links,
clicks per hour (each recipient's first click counted once), click-through rates, a campaign's results with its
variants compared, and the rebuild of the rollups from the messages."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.db import connection

from messaging.insights import queries
from messaging.insights.campaigns import campaign_results
from messaging.insights.models import TenantClickHour, TenantRollup
from messaging.models import InsightClickHour, InsightRollup
from messaging.services.insights import insights_squash
from tests.factories import CampaignFactory, MessageFactory, SenderFactory, in_tenant
from tests.fixtures.insights import HOUR, T0, click, made_before_t0, outcome

pytestmark = pytest.mark.django_db


def test_the_rollup_keys_campaign_messages_by_campaign_and_variant_and_counts_linked_ones(tenant_a, campaign_traffic):
    campaign = campaign_traffic["campaign"]
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        rows = {
            (row.campaign_id, row.variant, row.status, row.error_code): (row.messages, row.linked)
            for row in InsightRollup.objects.filter(hour=HOUR)
        }
    assert rows == {
        (campaign.pk, "A", "delivered", 0): (4, 4),
        (campaign.pk, "A", "undelivered", 30003): (1, 1),
        (campaign.pk, "B", "delivered", 0): (3, 3),
        (campaign.pk, "B", "undelivered", 30007): (1, 1),
        (campaign.pk, "B", "undelivered", 30003): (1, 1),
        (0, "", "delivered", 0): (2, 1),  # the single message with its own link, and the plain one
    }
    copied = set(TenantRollup.objects.filter(tenant=tenant_a, hour=HOUR).values_list("campaign_id", "variant"))
    assert copied == {(campaign.pk, "A"), (campaign.pk, "B"), (0, "")}


def test_clicks_count_each_recipients_first_click_once_across_squashes(tenant_a, campaign_traffic):
    link, sent = campaign_traffic["link"], campaign_traffic["sent"]
    campaign = campaign_traffic["campaign"]
    with in_tenant(tenant_a):
        click(link, sent["A"][0].pk, "A")
        click(link, sent["A"][0].pk, "A", minutes=31)  # the same recipient again
        click(link, sent["A"][1].pk, "A")
        first = insights_squash(tenant=tenant_a)
        click(link, sent["A"][1].pk, "A", minutes=40)  # again, in a later squash
        click(link, sent["B"][0].pk, "B", minutes=75)  # the next hour
        click(campaign_traffic["own_link"], campaign_traffic["single"].pk)
        second = insights_squash(tenant=tenant_a)
        third = insights_squash(tenant=tenant_a)
        hours = set(InsightClickHour.objects.values_list("hour", "campaign_id", "variant", "clicks", "clickers"))
    assert (first.clicks, second.clicks, third.clicks) == (3, 3, 0)
    assert hours == {
        (HOUR, campaign.pk, "A", 4, 2),
        (HOUR + timedelta(hours=1), campaign.pk, "B", 1, 1),
        (HOUR, 0, "", 1, 1),
    }
    published = set(TenantClickHour.objects.values_list("tenant__slug", "hour", "campaign_id", "variant", "clicks",
                                                        "clickers"))  # fmt: skip
    assert published == {("acme", *row) for row in hours}


def test_click_through_by_campaign_and_variant(tenant_a, campaign_traffic):
    link, sent, campaign = campaign_traffic["link"], campaign_traffic["sent"], campaign_traffic["campaign"]
    with in_tenant(tenant_a):
        for contact in sent["A"][:3]:
            click(link, contact.pk, "A")
        click(link, sent["B"][0].pk, "B")
        click(campaign_traffic["own_link"], campaign_traffic["single"].pk)
        insights_squash(tenant=tenant_a)
        scope = queries.Scope(start=HOUR, end=HOUR + timedelta(days=1))
        summary = queries.summary(scope)
        by_campaign = dict(queries.breakdown(scope, by="campaign"))
        by_variant = dict(queries.breakdown(queries.Scope(start=HOUR, end=HOUR + timedelta(days=1),
                                                          campaign_id=campaign.pk), by="variant"))  # fmt: skip
        by_sender = queries.breakdown(scope, by="sender")
    # Delivered with tracked links: 4 (A) + 3 (B) + the single message = 8; clickers 3 + 1 + 1 = 5.
    assert (summary.linked_delivered, summary.clickers, summary.clicks) == (8, 5, 5)
    assert summary.click_through_rate == 5 / 8
    assert (by_campaign[campaign.pk].messages, by_campaign[campaign.pk].click_through_rate) == (10, 4 / 7)
    assert by_campaign[0].click_through_rate == 1 / 1  # the single message; the plain one carried no link
    assert {label: (f.delivered, f.failed, f.clickers, f.click_through_rate) for label, f in by_variant.items()} == {
        "A": (4, 1, 3, 3 / 4),
        "B": (3, 2, 1, 1 / 3),
    }
    assert by_variant["B"].by_code == {30007: 1, 30003: 1}
    assert [f.click_through_rate for _, f in by_sender] == [None]  # clicks are not counted per sender


def test_a_campaigns_results_compare_its_variants_with_the_control(tenant_a, campaign_traffic):
    link, sent, campaign = campaign_traffic["link"], campaign_traffic["sent"], campaign_traffic["campaign"]
    with in_tenant(tenant_a):
        for contact in sent["A"][:3]:
            click(link, contact.pk, "A")
        click(link, sent["B"][0].pk, "B")
        insights_squash(tenant=tenant_a)
        results = campaign_results(campaign, now=T0 + timedelta(hours=2))
    assert results.control == "A"
    assert [(v.label, v.percent, v.figures.messages) for v in results.variants] == [("A", 50, 5), ("B", 50, 5)]
    control, variant = results.variants
    assert (control.delivery, control.click_through) == (None, None)
    assert (variant.delivery.control.successes, variant.delivery.control.trials) == (4, 5)
    assert (variant.delivery.variant.successes, variant.delivery.variant.trials) == (3, 5)
    assert (variant.click_through.control.successes, variant.click_through.control.trials) == (3, 4)
    assert (variant.click_through.variant.successes, variant.click_through.variant.trials) == (1, 3)
    # 75 % against 33 %, pooled 4/7: z = -0.41667 / 0.37796 = -1.1024, p = 0.2703; not significant with 4 and 3
    # recipients; 22 each would show a difference this large, so the smaller group needs 19 more.
    assert round(variant.click_through.z, 4) == -1.1024
    assert round(variant.click_through.p_value, 4) == 0.2703
    assert variant.click_through.significant is False
    assert variant.click_through.needed_per_variant == 22
    assert variant.click_through.more_needed == 19
    assert results.total.messages == 10


def test_a_campaign_without_variants_has_one_row_and_nothing_to_compare(tenant_a):
    with in_tenant(tenant_a):
        campaign = made_before_t0(CampaignFactory(tenant=tenant_a))
        sender = SenderFactory(tenant=tenant_a)
        message = MessageFactory(tenant=tenant_a, sender=sender, campaign=campaign, created_at=T0)
        outcome(message, "delivered")
        insights_squash(tenant=tenant_a)
        results = campaign_results(campaign, now=T0 + timedelta(hours=1))
    assert [(v.label, v.percent, v.figures.delivered, v.delivery, v.click_through) for v in results.variants] == [
        ("", None, 1, None, None)
    ]


COMPARED = ("hour", "campaign_id", "variant", "status", "error_code", "messages", "linked", "sent_histogram")


def test_the_rebuild_derives_the_rollups_from_the_messages_again(tenant_a, campaign_traffic):
    rebuild = import_module("messaging.migrations.0017_insight_campaigns").REBUILD
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        before = sorted(InsightRollup.objects.values_list(*COMPARED))
        InsightRollup.objects.update(messages=999)  # a rollup gone wrong
        with connection.cursor() as cursor:
            cursor.execute(rebuild)
        insights_squash(tenant=tenant_a)
        after = sorted(InsightRollup.objects.values_list(*COMPARED))
    assert after == before
    assert sum(row[5] for row in after) == 12


def test_the_isv_page_shows_click_through_across_tenants(staff_client, tenant_a, campaign_traffic):
    link, sent = campaign_traffic["link"], campaign_traffic["sent"]
    with in_tenant(tenant_a):
        click(link, sent["A"][0].pk, "A")
        click(link, sent["B"][0].pk, "B")
        insights_squash(tenant=tenant_a)
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        response = staff_client.get("/admin/insights/tenantrollup/")
    summary = response.context["summary"]
    assert (summary.clickers, summary.linked_delivered) == (2, 8)
    assert 'data-testid="isv-click-through">25.00 % (2 of 8)</td>' in response.content.decode()
