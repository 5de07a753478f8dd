"""The messages selectors: a list narrowed by recipient or sender finds its rows through an index, and the failed
list through its partial index. The planner is kept off sequential scans, so that a small test table shows what a
query can use rather than what is cheapest on a few rows; which of two fitting indexes it picks is its business."""

from __future__ import annotations

import pytest
from django.db import connection

from messaging import selectors
from messaging.selectors import MESSAGE_BOXES, MessageFilters
from tests.factories import MessageFactory, SenderFactory

pytestmark = pytest.mark.django_db

TO = "Index Cond: ((\"to\")::text = '+14165550199'::text)"
FAILED = "Index Scan using message_failed"
FAILED_BITMAP = "Bitmap Index Scan on message_failed"


def plan(box: str, **filters) -> str:
    rows = selectors.messages_in(MESSAGE_BOXES[box], MessageFilters(**filters)).order_by("-pk")[:51]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return rows.explain()


def uses_any(found: str, *markers: str) -> bool:
    return any(marker in found for marker in markers)


@pytest.mark.parametrize("box", ["outbox", "sent", "canceled"])
def test_a_list_by_recipient_reads_the_recipient_index(in_tenant_a, box):
    MessageFactory(tenant=in_tenant_a)
    assert TO in plan(box, number="+14165550199")


@pytest.mark.parametrize("box", ["outbox", "sent", "canceled", "inbox"])
def test_a_list_by_sender_reads_a_sender_index(in_tenant_a, box):
    sender = SenderFactory(tenant=in_tenant_a)
    MessageFactory(tenant=in_tenant_a, sender=sender)
    assert f"Index Cond: (sender_id = {sender.pk})" in plan(box, sender=sender)


def test_the_failed_list_reads_the_index_of_failed_messages(in_tenant_a):
    MessageFactory(tenant=in_tenant_a, status="failed")
    assert uses_any(plan("failed"), FAILED, FAILED_BITMAP)
    assert uses_any(plan("failed", failure_reason="opted_out", error_code=30007), FAILED, FAILED_BITMAP)


def test_the_failed_list_narrowed_reads_the_failed_index_or_the_filters(in_tenant_a):
    sender = SenderFactory(tenant=in_tenant_a)
    MessageFactory(tenant=in_tenant_a, sender=sender, status="failed")
    assert uses_any(plan("failed", number="+14165550199"), FAILED, FAILED_BITMAP, TO)
    assert uses_any(plan("failed", sender=sender), FAILED, FAILED_BITMAP, f"Index Cond: (sender_id = {sender.pk})")
