"""The fan-out: a running campaign's audience expanded into messages, one chunk per transaction, then handed to the
engine.

Each chunk reads the next contacts after the campaign's cursor (contact-id order), plans them (variant, body,
segments, send time, compliance verdict), writes them with COPY into a temporary staging table and moves them into
the message table with `INSERT … SELECT … ON CONFLICT (campaign, contact) DO NOTHING` (COPY itself has no
ON CONFLICT; reference/engine.md §3). The cursor moves in the same transaction, under the campaign's row lock, so a
worker that dies half way resumes after the last committed chunk: no recipient twice (the unique index), none
skipped (the cursor only moves past what committed). A recipient the rules block (opted out, unsendable, a country
not enabled, …) is stored as a `suppressed` message with the findings, and never reaches a lane; one a rule defers
(quiet hours) or the schedule holds back is `scheduled` for the minute it may leave.

Back-pressure: before each chunk, a tenant whose outbox (queued messages) is above CAMPAIGN_OUTBOX_THRESHOLD waits,
so a large campaign never buries its transactional traffic, and the queue a pause must hold stays bounded.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from compliance.domain.rules import Severity
from messaging.dispatch import drain, redis_index
from messaging.dispatch.sending import pace_of
from messaging.domain.failures import FailureReason
from messaging.models import Campaign, Message, MessageEvent
from messaging.services.campaigns.expansion import Planned, Planner, audience_rows
from tenants.models import Tenant

logger = logging.getLogger(__name__)

STAGE: Final = """
CREATE TEMP TABLE IF NOT EXISTS campaign_stage (
    uuid uuid, contact_id bigint, variant_id bigint, status varchar(12), "to" varchar(16), from_address varchar(34),
    sender_id bigint, body text, encoding varchar(5), segments smallint, compliance jsonb, failure_reason varchar(20),
    error_message varchar(300), send_at timestamptz, queued_at timestamptz
) ON COMMIT DELETE ROWS
"""
STAGE_COLUMNS: Final = (
    'uuid, contact_id, variant_id, status, "to", from_address, sender_id, body, encoding, segments, compliance, '
    "failure_reason, error_message, send_at, queued_at"
)
MOVE: Final = """
WITH moved AS (
    INSERT INTO {messages} AS m (
        uuid, direction, source, status, provider_status, "to", from_address, sender_id, pool_id, contact_id,
        campaign_id, campaign_variant_id, body, media_urls, encoding, segments, lane, category, compliance,
        failure_reason, error_message, price_unit, validity_period, send_at, attempts, reconcile_lookups, created_at,
        queued_at
    )
    SELECT s.uuid, 'outbound', 'campaign', s.status, '', s."to", s.from_address, s.sender_id, %(pool)s, s.contact_id,
           %(campaign)s, s.variant_id, s.body, %(media)s::jsonb, s.encoding, s.segments, 'bulk', %(category)s,
           s.compliance, s.failure_reason, s.error_message, '', %(validity)s, s.send_at, 0, 0, %(now)s,
           s.queued_at
    FROM pg_temp.campaign_stage AS s
    ON CONFLICT (campaign_id, contact_id) WHERE campaign_id IS NOT NULL DO NOTHING
    RETURNING m.id, m.status, m.sender_id, m.segments, m.send_at
), logged AS (
    INSERT INTO {events} (message_id, kind, status, provider_status, detail, payload, applied, created_at)
    SELECT id, CASE WHEN status = 'suppressed' THEN 'blocked' ELSE 'created' END, status, '',
           %(detail)s, '{{}}'::jsonb, true, %(now)s
    FROM moved
)
SELECT id, status, sender_id, segments, send_at FROM moved
"""
OUTBOX: Final = "SELECT count(*) FROM (SELECT 1 FROM {messages} WHERE status = 'queued' LIMIT %(limit)s) AS q"
EXPANDABLE: Final = (Campaign.State.RUNNING,)


@dataclass(frozen=True)
class ExpandReport:
    outcome: str  # "done", "more", "waiting" (back-pressure), "stopped" (not running), "busy"
    expanded: int = 0


def outbox_full(threshold: int) -> bool:
    """Whether the current tenant has more than `threshold` messages queued."""
    with connection.cursor() as cursor:
        cursor.execute(OUTBOX.format(messages=Message._meta.db_table), {"limit": threshold + 1})
        return cursor.fetchone()[0] > threshold


def campaign_expand(
    *, tenant: Tenant, campaign_id: int, max_chunks: int | None = None, chunk: int | None = None
) -> ExpandReport:
    """Expand the next chunks of a campaign (at most `max_chunks`); what is left, the caller runs again."""
    max_chunks = max_chunks or settings.CAMPAIGN_CHUNKS_PER_TASK
    chunk = chunk or settings.CAMPAIGN_CHUNK
    expanded = 0
    planner: Planner | None = None
    for _ in range(max_chunks):
        if outbox_full(settings.CAMPAIGN_OUTBOX_THRESHOLD):
            return ExpandReport("waiting", expanded)
        campaign = Campaign.objects.select_related("sender", "pool").get(pk=campaign_id)
        if campaign.state not in EXPANDABLE or campaign.expansion_done:
            return ExpandReport("stopped", expanded)  # paused, canceled, or expanded already
        if planner is None:
            planner = Planner(tenant=tenant, campaign=campaign, now=campaign.launched_at or timezone.now())
        planner.now = max(timezone.now(), campaign.launched_at or timezone.now())
        outcome, count = _expand_chunk(planner, campaign, chunk)
        expanded += count
        if outcome != "more":
            return ExpandReport(outcome, expanded)
    return ExpandReport("more", expanded)


def _expand_chunk(planner: Planner, campaign: Campaign, size: int) -> tuple[str, int]:
    cursor_at = campaign.expansion_cursor
    rows = list(audience_rows(campaign, after=cursor_at, limit=size))
    plans = list(planner.plan(rows))  # outside the lock: the rules read the register, Lookup and consent
    now = timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.state not in EXPANDABLE:
            return "stopped", 0
        if locked.expansion_cursor != cursor_at:
            return "busy", 0  # another copy of the task moved on meanwhile; it carries on
        moved = _write(campaign, plans, now) if plans else []
        locked.expansion_cursor = rows[-1][0] if rows else cursor_at
        locked.expanded += len(plans)
        locked.expansion_done = len(rows) < size
        locked.save(update_fields=["expansion_cursor", "expanded", "expansion_done", "updated_at"])
        schema = connection.schema_name
        mps = {p.sender.pk: p.sender.mps for p in plans if p.sender is not None}
        transaction.on_commit(lambda: _enqueue(schema, moved, mps))
    return ("done" if locked.expansion_done else "more"), len(plans)


def _row(plan: Planned, now: datetime) -> tuple:
    verdict = plan.verdict
    compliance = json.dumps([f.as_dict() for f in verdict.findings]) if verdict.findings else "[]"
    head = (uuid.uuid4(), plan.contact_id, plan.version.variant_id)
    content = (plan.to, plan.sender.address, plan.sender.pk, plan.body, plan.encoding, plan.segments, compliance)
    if verdict.blocked:
        blocks = verdict.of(Severity.BLOCK)
        reason = FailureReason.OPTED_OUT if any(f.rule == "OPT-01" for f in blocks) else FailureReason.COMPLIANCE
        detail = "; ".join(f"{f.rule}: {f.message}" for f in blocks)[:300]
        return (*head, "suppressed", *content, reason.value, detail, None, None)
    leaves = max(plan.leaves, verdict.send_at or plan.leaves)
    if leaves > now:
        return (*head, "scheduled", *content, "", "", leaves, None)
    return (*head, "queued", *content, "", "", None, now)


def _write(campaign: Campaign, plans: list[Planned], now: datetime) -> list[tuple]:
    """Stage the plans with COPY and move them into the message table; the rows that were new and will leave."""
    with connection.cursor() as cursor:
        cursor.execute(STAGE)
        with cursor.cursor.copy(f"COPY pg_temp.campaign_stage ({STAGE_COLUMNS}) FROM STDIN") as copy:
            for plan in plans:
                copy.write_row(_row(plan, now))
        cursor.execute(
            MOVE.format(messages=Message._meta.db_table, events=MessageEvent._meta.db_table),
            {
                "pool": campaign.pool_id, "campaign": campaign.pk, "media": json.dumps(campaign.media_urls),
                "category": campaign.category, "validity": campaign.validity_period, "now": now,
                "detail": f"campaign {campaign.pk}",
            },
        )  # fmt: skip
        return [row for row in cursor.fetchall() if row[1] in ("queued", "scheduled")]


def _enqueue(schema: str, moved: list[tuple], mps: dict) -> None:
    """Put the chunk's messages in their senders' lanes; Redis trouble only delays them (the sweeper)."""
    if not moved:
        return
    try:
        now = timezone.now()
        redis_index.push(
            redis_index.Entry(schema=schema, sender_id=sender_id, message_id=pk, segments=segments, lane="bulk",
                              due=send_at or now, interval_us=pace_of(mps[sender_id]))
            for pk, _status, sender_id, segments, send_at in moved
        )  # fmt: skip
        drain.wake()
    except Exception:  # Redis down: the sweeper puts queued messages back in their lanes
        logger.warning(
            "could not queue %d campaign message(s) of %s in Redis; the sweeper will", len(moved), schema, exc_info=True
        )
