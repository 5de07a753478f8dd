"""Ordered sequences: parts to one recipient, each sent only once the one before it was reported delivered.

Twilio does not promise that two messages to one handset arrive in the order they were sent; a sequence makes the
order hold by sending part k+1 only when part k's status callback says `delivered`. The sequence moves on from the
callback itself (no waiting loop); a part that gets no final word within the sequence's timeout is `timed_out`, and
the sequence's policy says whether an undelivered, failed or timed-out part halts it or lets it continue.
"""

import uuid

from django.db import models
from django.db.models import Q

from messaging.models.messages import Message
from messaging.models.senders import Sender, SenderPool

MIN_PART_TIMEOUT_SECONDS = 10
MAX_PART_TIMEOUT_SECONDS = 86_400
DEFAULT_PART_TIMEOUT_SECONDS = 600


class Sequence(models.Model):
    """Parts to one recipient from one sender (or pool), sent one after the other in delivery order."""

    class Policy(models.TextChoices):
        HALT = "halt", "Halt at the first part not delivered"
        CONTINUE = "continue", "Continue past a part not delivered"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        HALTED = "halted", "Halted"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="The id the API shows")
    to = models.CharField(max_length=16, help_text="E.164")
    sender = models.ForeignKey(Sender, null=True, blank=True, on_delete=models.PROTECT, related_name="sequences")
    pool = models.ForeignKey(SenderPool, null=True, blank=True, on_delete=models.PROTECT, related_name="sequences")
    category = models.CharField(max_length=20, choices=Message.Category.choices, default="transactional")
    policy = models.CharField(max_length=8, choices=Policy.choices, default=Policy.HALT)
    part_timeout_seconds = models.PositiveIntegerField(
        default=DEFAULT_PART_TIMEOUT_SECONDS, help_text="How long a part may wait for its final status"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=300, blank=True, help_text="Why it halted, failed or was canceled")
    source = models.CharField(max_length=10, choices=Message.Source.choices, default=Message.Source.API)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "completed", "halted", "failed", "canceled"]),
                name="sequence_status_valid",
            ),
            models.CheckConstraint(condition=Q(policy__in=["halt", "continue"]), name="sequence_policy_valid"),
            models.CheckConstraint(
                condition=Q(part_timeout_seconds__gte=MIN_PART_TIMEOUT_SECONDS)
                & Q(part_timeout_seconds__lte=MAX_PART_TIMEOUT_SECONDS),
                name="sequence_part_timeout_range",
            ),
            models.CheckConstraint(
                condition=Q(sender__isnull=False) | Q(pool__isnull=False), name="sequence_has_sender_or_pool"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running"], finished_at__isnull=True)
                | (~Q(status__in=["pending", "running"]) & Q(finished_at__isnull=False)),
                name="sequence_finished_has_time",
            ),
        ]
        indexes = [models.Index(fields=["id"], condition=Q(status="running"), name="sequence_running")]

    def __str__(self) -> str:
        return f"sequence {self.uuid} → {self.to} ({self.status})"


class SequencePart(models.Model):
    """One part of a sequence: its content, the message that carries it once sent, and how it ended."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the part before it"
        SENT = "sent", "Sent, waiting for its delivery report"
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Undelivered"
        FAILED = "failed", "Failed"
        TIMED_OUT = "timed_out", "Timed out"
        SKIPPED = "skipped", "Skipped"

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField(help_text="1 for the first part")
    body = models.TextField(blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="sequence_part"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    detail = models.CharField(max_length=300, blank=True, help_text="Why it failed or was skipped")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When its message was handed to the engine")
    deadline_at = models.DateTimeField(null=True, blank=True, help_text="Timed out if not final by then")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sequence", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sequence", "position"], name="sequence_part_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="sequence_part_position_positive"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "sent", "delivered", "undelivered", "failed", "timed_out", "skipped"]
                ),
                name="sequence_part_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "delivered", "undelivered"])
                | Q(message__isnull=False, sent_at__isnull=False, deadline_at__isnull=False),
                name="sequence_part_sent_has_message",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent"], finished_at__isnull=True)
                | (~Q(status__in=["pending", "sent"]) & Q(finished_at__isnull=False)),
                name="sequence_part_finished_has_time",
            ),
        ]
        indexes = [models.Index(fields=["deadline_at"], condition=Q(status="sent"), name="sequence_part_waiting")]

    def __str__(self) -> str:
        return f"part {self.position} of sequence {self.sequence_id} ({self.status})"
