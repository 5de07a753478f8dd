"""What the message paths tell ordered sequences: a message that carries a part reached its final status.

The status callback path (and the engine, when it fails a message that never reached Twilio) calls
`sequence_message_settled` inside the transaction that moved the status; once that commits, the sequence's advance
runs as a task. Kept apart from `messaging.services.sequences`, which sends messages, so that the engine can import
it without an import cycle.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction

from messaging.models import SequencePart

logger = logging.getLogger(__name__)


def sequence_message_settled(*, message_id: int) -> None:
    """If the message carries a part still waiting for its outcome, advance its sequence once this commits."""
    sequence_id = (
        SequencePart.objects.filter(message_id=message_id, status=SequencePart.Status.SENT)
        .values_list("sequence_id", flat=True)
        .first()
    )
    if sequence_id is not None:
        schema = connection.schema_name
        transaction.on_commit(lambda: sequence_advance_later(schema, sequence_id), robust=True)


def sequence_advance_later(schema: str, sequence_id: int, *, countdown: float | None = None) -> None:
    """Queue the sequence's advance (after `countdown` seconds); the sweep advances it if the broker cannot."""
    from messaging.tasks import sequence_advance_task  # the tasks module imports the services

    try:
        sequence_advance_task.apply_async(
            kwargs={"schema_name": schema, "sequence_id": sequence_id}, countdown=countdown
        )
    except Exception:  # broker down: the tenant sweep finds the sequence due and advances it
        logger.warning("could not queue the advance of sequence %s of %s; the sweep will", sequence_id, schema)
