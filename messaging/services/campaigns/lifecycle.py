"""A campaign's life: draft → scheduled → running ⇄ paused → completed | canceled, one service per move.

- launch: a draft with a preflight report of its current content and no blocking finding; `scheduled` when it is
  to start at a later time, else `running` (its expansion starts at once; a local-time schedule stores each message
  for its recipient's moment).
- pause: the campaign's messages not yet claimed by a worker move from queued or scheduled to `held` in one
  conditional UPDATE (the engine's claim is a conditional UPDATE from queued too, so each message is either claimed
  or held, never both) and leave their lanes; the expansion stops at its next chunk.
- resume: held messages go back to queued (or scheduled, if their moment is ahead) and into their lanes.
- cancel: queued, scheduled and held messages are canceled the same way; what was claimed is already leaving.
- completion: once the expansion is done and none of its messages waits or is being sent.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from compliance.domain import registration
from messaging.dispatch import drain, redis_index
from messaging.dispatch.sending import pace_of
from messaging.errors import (
    CampaignPreflightBlocked,
    CampaignPreflightRequired,
    CampaignTransitionRefused,
    SenderNotReady,
)
from messaging.models import Campaign, Message, MessageEvent
from messaging.services.campaigns.preflight import campaign_digest
from messaging.services.sending import sending_credentials
from tenants.audit import audit_record
from tenants.models import Tenant, User

logger = logging.getLogger(__name__)

WAITING: Final = ("scheduled", "queued", "sending", "held")
FANOUT_TOKEN_SECONDS: Final = 60
# A start further ahead than this is left to the sweep (every 30 s), which wakes it with the seconds that remain:
# a broker holds a delayed task in a worker's memory and redelivers it past its visibility timeout.
NEAR_SECONDS: Final = 120

HOLD: Final = """
WITH moved AS (
    UPDATE {messages} SET status = 'held'
    WHERE campaign_id = %(campaign)s AND status IN ('queued', 'scheduled')
    RETURNING id, sender_id, segments
), logged AS (
    INSERT INTO {events} (message_id, kind, status, provider_status, detail, payload, applied, created_at)
    SELECT id, 'held', 'held', '', %(detail)s, '{{}}'::jsonb, true, %(now)s FROM moved
)
SELECT id, sender_id, segments FROM moved
"""
RELEASE: Final = """
WITH moved AS (
    UPDATE {messages} AS m
    SET status = CASE WHEN m.send_at > %(now)s THEN 'scheduled' ELSE 'queued' END,
        queued_at = CASE WHEN m.send_at > %(now)s THEN m.queued_at ELSE %(now)s END
    WHERE m.campaign_id = %(campaign)s AND m.status = 'held'
    RETURNING m.id, m.status, m.sender_id, m.segments, m.send_at
), logged AS (
    INSERT INTO {events} (message_id, kind, status, provider_status, detail, payload, applied, created_at)
    SELECT id, 'queued', status, '', %(detail)s, '{{}}'::jsonb, true, %(now)s FROM moved
)
SELECT id, sender_id, segments, send_at FROM moved
"""
CANCEL: Final = """
WITH moved AS (
    UPDATE {messages} SET status = 'canceled', canceled_at = %(now)s
    WHERE campaign_id = %(campaign)s AND status IN ('queued', 'scheduled', 'held')
    RETURNING id, sender_id, segments
), logged AS (
    INSERT INTO {events} (message_id, kind, status, provider_status, detail, payload, applied, created_at)
    SELECT id, 'canceled', 'canceled', '', %(detail)s, '{{}}'::jsonb, true, %(now)s FROM moved
)
SELECT id, sender_id, segments FROM moved
"""


def _sql(statement: str) -> str:
    return statement.format(messages=Message._meta.db_table, events=MessageEvent._meta.db_table)


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("sender", "pool").get(pk=campaign.pk)


def _refuse(campaign: Campaign, move: str, allowed: tuple[str, ...]) -> None:
    if campaign.state not in allowed:
        raise CampaignTransitionRefused(
            f"campaign {campaign.pk} is {campaign.state}: only a campaign that is {' or '.join(allowed)} can be {move}",
            field="state",
        )


def _audit(tenant: Tenant, campaign: Campaign, action: str, actor: User | None, actor_label: str | None, **details):
    audit_record(action=f"campaign.{action}", tenant=tenant, actor=actor, actor_label=actor_label,
                 target=campaign.name, details={"campaign_id": campaign.pk, **details})  # fmt: skip


def campaign_launch(
    *, tenant: Tenant, campaign: Campaign, actor: User | None = None, actor_label: str | None = None,
    now: datetime | None = None,
) -> Campaign:  # fmt: skip
    """Launch a draft whose preflight is current and clean: scheduled for a later start, else running. Audited."""
    now = now or timezone.now()
    sending_credentials(tenant=tenant)  # a suspended or closed tenant launches nothing
    with transaction.atomic():
        campaign = _locked(campaign)
        _refuse(campaign, "launched", (Campaign.State.DRAFT,))
        if not campaign.preflight or campaign.preflight_digest != campaign_digest(campaign):
            raise CampaignPreflightRequired(
                "run the preflight on the campaign as it is now before launching it", field="preflight"
            )
        if campaign.preflight.get("blocking"):
            blocks = [f for f in campaign.preflight.get("findings", []) if f.get("severity") == "block"]
            raise CampaignPreflightBlocked(
                "the preflight found problems that prevent the launch: " + "; ".join(f["message"] for f in blocks),
                findings=blocks,
            )
        if campaign.sender_id is not None:
            verdict = registration.sending_verdict(campaign.sender.kind, campaign.sender.registration_state)
            if not verdict.allowed:
                raise SenderNotReady(f"{campaign.sender.address} cannot send yet: {verdict.reason}", field="sender")
        later = campaign.schedule == Campaign.Schedule.AT and campaign.send_at and campaign.send_at > now
        campaign.state = Campaign.State.SCHEDULED if later else Campaign.State.RUNNING
        campaign.launched_at, campaign.launched_by = now, actor_label or (str(actor) if actor else "")
        campaign.recipients = int(campaign.preflight.get("recipients", 0))
        campaign.save()
        _audit(tenant, campaign, "launched", actor, actor_label, state=campaign.state, recipients=campaign.recipients)
        countdown = (campaign.send_at - now).total_seconds() if later else 0
        _wake_on_commit(campaign, countdown=countdown)
    return campaign


def campaign_start_due(*, campaign_id: int, now: datetime | None = None) -> Campaign:
    """A scheduled campaign whose time has come starts running (a no-op otherwise)."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.state == Campaign.State.SCHEDULED and (campaign.send_at is None or campaign.send_at <= now):
            campaign.state = Campaign.State.RUNNING
            campaign.save(update_fields=["state", "updated_at"])
    return campaign


def campaign_pause(
    *, tenant: Tenant, campaign: Campaign, actor: User | None = None, actor_label: str | None = None
) -> Campaign:
    """Hold what the campaign has not sent yet; the expansion stops. Audited."""
    now = timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign)
        _refuse(campaign, "paused", (Campaign.State.SCHEDULED, Campaign.State.RUNNING))
        held = _move(HOLD, campaign, now, f"campaign {campaign.pk} paused")
        campaign.state, campaign.paused_at = Campaign.State.PAUSED, now
        campaign.save(update_fields=["state", "paused_at", "updated_at"])
        _audit(tenant, campaign, "paused", actor, actor_label, held=len(held))
        _unindex_on_commit(held)
    return campaign


def campaign_resume(
    *, tenant: Tenant, campaign: Campaign, actor: User | None = None, actor_label: str | None = None
) -> Campaign:
    """Send again what a pause held, and carry on expanding. Audited."""
    now = timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign)
        _refuse(campaign, "resumed", (Campaign.State.PAUSED,))
        released = _move(RELEASE, campaign, now, f"campaign {campaign.pk} resumed")
        later = campaign.schedule == Campaign.Schedule.AT and campaign.send_at and campaign.send_at > now
        campaign.state = Campaign.State.SCHEDULED if later else Campaign.State.RUNNING
        campaign.paused_at = None
        campaign.save(update_fields=["state", "paused_at", "updated_at"])
        _audit(tenant, campaign, "resumed", actor, actor_label, released=len(released))
        schema = connection.schema_name
        transaction.on_commit(lambda: _index(schema, released, campaign))
        if campaign.expansion_done:
            transaction.on_commit(lambda: _watch(schema, campaign.pk))
        else:
            _wake_on_commit(campaign, countdown=(campaign.send_at - now).total_seconds() if later else 0)
    return campaign


def _watch(schema: str, campaign_id: int) -> None:
    from messaging.tasks import campaign_watch_task

    campaign_watch_task.apply_async(kwargs={"schema_name": schema, "campaign_id": campaign_id})


def campaign_cancel(
    *, tenant: Tenant, campaign: Campaign, actor: User | None = None, actor_label: str | None = None
) -> Campaign:
    """Stop the campaign for good: what has not been claimed is canceled. Audited."""
    now = timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign)
        _refuse(campaign, "canceled", (Campaign.State.SCHEDULED, Campaign.State.RUNNING, Campaign.State.PAUSED))
        canceled = _move(CANCEL, campaign, now, f"campaign {campaign.pk} canceled")
        campaign.state, campaign.finished_at = Campaign.State.CANCELED, now
        campaign.save(update_fields=["state", "finished_at", "updated_at"])
        _audit(tenant, campaign, "canceled", actor, actor_label, canceled=len(canceled))
        _unindex_on_commit(canceled)
    return campaign


def campaign_complete_if_done(*, campaign_id: int, now: datetime | None = None) -> Campaign:
    """Mark a running campaign completed once it is expanded and none of its messages waits or is leaving."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.state != Campaign.State.RUNNING or not campaign.expansion_done:
        return campaign
    if Message.objects.filter(campaign_id=campaign_id, status__in=WAITING).exists():
        return campaign
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.state == Campaign.State.RUNNING and campaign.expansion_done:
            campaign.state, campaign.finished_at = Campaign.State.COMPLETED, now or timezone.now()
            campaign.save(update_fields=["state", "finished_at", "updated_at"])
    return campaign


def _move(statement: str, campaign: Campaign, now: datetime, detail: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_sql(statement), {"campaign": campaign.pk, "now": now, "detail": detail})
        return cursor.fetchall()


def _unindex_on_commit(rows: list[tuple]) -> None:
    if not rows:
        return
    schema = connection.schema_name

    def unindex() -> None:
        try:
            for pk, sender_id, segments in rows:
                redis_index.remove(schema=schema, sender_id=sender_id, message_id=pk, segments=segments)
        except Exception:  # the engine finds them held or canceled, and drops them
            logger.warning("could not take %d campaign message(s) of %s out of their lanes", len(rows), schema)

    transaction.on_commit(unindex)


def _index(schema: str, rows: list[tuple], campaign: Campaign) -> None:
    if not rows:
        return
    from messaging.models import Sender

    mps = dict(Sender.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "mps"))
    now = timezone.now()
    try:
        redis_index.push(
            redis_index.Entry(schema=schema, sender_id=sender_id, message_id=pk, segments=segments, lane="bulk",
                              due=send_at or now, interval_us=pace_of(mps[sender_id]))
            for pk, sender_id, segments, send_at in rows
        )  # fmt: skip
        drain.wake()
    except Exception:  # the sweeper puts queued messages back in their lanes
        logger.warning("could not queue %d resumed message(s) of campaign %s", len(rows), campaign.pk)


def fanout_token(schema: str, campaign_id: int) -> str:
    return f"campaign-fanout:{schema}:{campaign_id}"


def campaign_wake(schema: str, campaign_id: int, *, countdown: float = 0) -> None:
    """Enqueue the campaign's fan-out (after `countdown` s), and note that a wake-up is on its way."""
    from messaging.tasks import campaign_fanout_task

    cache.set(fanout_token(schema, campaign_id), 1, timeout=int(countdown) + FANOUT_TOKEN_SECONDS)
    campaign_fanout_task.apply_async(kwargs={"schema_name": schema, "campaign_id": campaign_id}, countdown=countdown)


def _wake_on_commit(campaign: Campaign, *, countdown: float) -> None:
    if countdown > NEAR_SECONDS:
        return  # the sweep wakes it when its time is near
    schema, campaign_id = connection.schema_name, campaign.pk
    transaction.on_commit(lambda: campaign_wake(schema, campaign_id, countdown=max(0.0, countdown)))


def campaigns_sweep(*, schema: str, now: datetime | None = None) -> int:
    """Wake the expansion of campaigns that lost theirs (a dead worker, a lost message) and complete the finished;
    returns how many were woken."""
    now = now or timezone.now()
    woken = 0
    active = Campaign.objects.filter(state__in=[Campaign.State.SCHEDULED, Campaign.State.RUNNING])
    for pk, state, send_at, done in active.values_list("pk", "state", "send_at", "expansion_done"):
        ahead = (send_at - now).total_seconds() if state == Campaign.State.SCHEDULED and send_at else 0.0
        if ahead <= NEAR_SECONDS and not done and cache.get(fanout_token(schema, pk)) is None:
            campaign_wake(schema, pk, countdown=max(0.0, ahead))
            woken += 1
        elif done:
            campaign_complete_if_done(campaign_id=pk, now=now)
    return woken
