"""Twilio's status callbacks applied to messages: forward only, in one statement, and every callback kept.

The update finds the message by our id (in the callback URL), so a callback that beats our own record of Twilio's
answer still lands; it moves the status only to a higher rank and never out of a final status (a late or repeated
callback changes nothing), and it is one SQL statement, so two callbacks at once cannot both move it. Each callback is
appended to the message's events, applied or not, with its raw form and the carrier's time. A status that moved
(to sent, delivered, undelivered, failed or read) is published to the tenant's webhook endpoints in the same
transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from messaging.domain.callbacks import StatusReport
from messaging.domain.failures import reason_for
from messaging.domain.sequences import SETTLING_STATUSES
from messaging.domain.statuses import FINAL, RANK, MessageStatus
from messaging.domain.webhooks.events import event_for_status
from messaging.gateways.errors import ERROR_TABLE
from messaging.models import Message, MessageEvent
from messaging.outbound_webhooks.publish import message_webhook_publish
from messaging.services import rules
from messaging.services.sequence_events import sequence_message_settled
from tenants.models import Tenant

OPTED_OUT_CODE = 21610

_RANK_SQL = "CASE status " + " ".join(f"WHEN '{s.value}' THEN {rank}" for s, rank in RANK.items()) + " ELSE 99 END"
_FINAL_SQL = ", ".join(f"'{s.value}'" for s in sorted(FINAL))

APPLY = f"""
UPDATE messaging_message SET
  status = %(status)s,
  provider_status = %(provider_status)s,
  twilio_sid = COALESCE(twilio_sid, %(sid)s),
  accepted_at = COALESCE(accepted_at, %(now)s),
  sent_at = CASE WHEN %(status)s IN ('sent', 'delivered', 'undelivered', 'read') THEN COALESCE(sent_at, %(now)s)
                 ELSE sent_at END,
  delivered_at = CASE WHEN %(status)s IN ('delivered', 'read') THEN COALESCE(delivered_at, %(now)s)
                      ELSE delivered_at END,
  read_at = CASE WHEN %(status)s = 'read' THEN COALESCE(read_at, %(now)s) ELSE read_at END,
  failed_at = CASE WHEN %(status)s IN ('failed', 'undelivered') THEN COALESCE(failed_at, %(now)s) ELSE failed_at END,
  canceled_at = CASE WHEN %(status)s = 'canceled' THEN COALESCE(canceled_at, %(now)s) ELSE canceled_at END,
  error_code = COALESCE(%(error_code)s, error_code),
  failure_reason = CASE WHEN %(failure_reason)s <> '' THEN %(failure_reason)s ELSE failure_reason END,
  error_message = CASE WHEN %(error_message)s <> '' THEN %(error_message)s ELSE error_message END
WHERE uuid = %(uuid)s AND (twilio_sid IS NULL OR twilio_sid = %(sid)s)
  AND status NOT IN ({_FINAL_SQL}) AND {_RANK_SQL} < %(rank)s
RETURNING id
"""


FIND = "SELECT id FROM messaging_message WHERE uuid = %(uuid)s AND (twilio_sid IS NULL OR twilio_sid = %(sid)s)"


@dataclass(frozen=True)
class CallbackApplied:
    message_id: int
    applied: bool  # False: a late or repeated callback, kept but changing nothing


def status_callback_apply(
    *, message_uuid: uuid.UUID, report: StatusReport, payload: Mapping[str, str]
) -> CallbackApplied | None:
    """Apply a status callback to the message it is about (in the current schema); None when there is none."""
    failed = report.status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED)
    info = ERROR_TABLE.get(report.error_code) if report.error_code is not None else None
    reason = reason_for(report.error_code, info.kind.value if info else None) if failed else None
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            APPLY,
            {
                "status": report.status.value,
                "provider_status": report.provider_status,
                "sid": report.message_sid,
                "error_code": report.error_code,
                "failure_reason": reason.value if reason else "",
                "error_message": (info.title if info else "")[:300] if failed else "",
                "uuid": message_uuid,
                "rank": RANK[report.status],
                "now": now,
            },
        )
        row = cursor.fetchone()
        updated = row is not None
        if not updated:
            cursor.execute(FIND, {"uuid": message_uuid, "sid": report.message_sid})
            row = cursor.fetchone()
            if row is None:
                return None
        applied = CallbackApplied(message_id=row[0], applied=updated)
        MessageEvent.objects.create(
            message_id=applied.message_id,
            kind=MessageEvent.Kind.CALLBACK,
            status=report.status.value,
            provider_status=report.provider_status,
            error_code=report.error_code,
            payload=dict(payload),
            provider_time=report.carrier_time,
            applied=applied.applied,
            detail="" if applied.applied else "late or repeated: the message had moved on",
        )
        event_type = event_for_status(report.status) if applied.applied else None
        if event_type is not None:
            message_webhook_publish(event_type=event_type, message_id=applied.message_id, occurred_at=now)
        if applied.applied and report.error_code == OPTED_OUT_CODE:
            _opted_out(applied.message_id, report.message_sid)
        if applied.applied and report.status in SETTLING_STATUSES:
            sequence_message_settled(message_id=applied.message_id)
    return applied


def _opted_out(message_id: int, sid: str) -> None:
    """A callback saying 21610: the recipient opted out at Twilio; the register learns it too."""
    message = Message.objects.select_related("sender").get(pk=message_id)
    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    rules.opted_out_at_twilio(tenant=tenant, to=message.to, sender=message.sender, pool_id=message.pool_id, sid=sid,
                              detail=f"a status callback for {sid} reported {OPTED_OUT_CODE}")  # fmt: skip
