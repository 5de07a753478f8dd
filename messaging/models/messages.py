"""Messages and their event log: every message is a row before anything is queued; every change and every
callback is an event, and events are never changed or deleted (a database trigger refuses it)."""

import uuid

from django.db import models
from django.db.models import Q

from compliance.domain.rules import Category
from messaging.domain.failures import FailureReason
from messaging.domain.statuses import MessageStatus
from messaging.models.campaigns import Campaign, CampaignVariant
from messaging.models.contacts import Contact
from messaging.models.senders import Sender, SenderPool

STATUS_CHOICES = [(status.value, status.value.capitalize()) for status in MessageStatus]
SENT_OR_LATER = ["sent", "delivered", "undelivered", "read"]


class Message(models.Model):
    """One SMS/MMS, outbound (sent by the engine at its sender's pace) or inbound (received by a sender)."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", "Outbound"
        INBOUND = "inbound", "Inbound"

    class Lane(models.TextChoices):
        PRIORITY = "priority", "Priority (transactional, replies, sequences)"
        BULK = "bulk", "Bulk (campaigns)"

    Status = MessageStatus  # the statuses and their order live in the pure domain module
    Category = models.TextChoices(
        "Category", [(c.name, (c.value, c.value.replace("_", " ").capitalize())) for c in Category]
    )

    class Source(models.TextChoices):
        API = "api", "API"
        UI = "ui", "Tenant UI"
        TEST = "test", "Sender test"
        REPLY = "reply", "Automatic reply"
        CAMPAIGN = "campaign", "Campaign"
        SEQUENCE = "sequence", "Ordered sequence"
        TWILIO = "twilio", "Received from Twilio"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="The id the API shows")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES)
    provider_status = models.CharField(max_length=20, blank=True, help_text="Twilio's last status, as it said it")
    to = models.CharField(max_length=16, help_text="E.164")
    from_address = models.CharField(max_length=34, blank=True, help_text="The sender's address, or the handset's")
    sender = models.ForeignKey(Sender, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    pool = models.ForeignKey(SenderPool, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="messages", db_index=False
    )
    campaign_variant = models.ForeignKey(
        CampaignVariant, null=True, blank=True, on_delete=models.PROTECT, related_name="messages", db_index=False
    )
    body = models.TextField(blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    encoding = models.CharField(max_length=5, blank=True, help_text="GSM-7 or UCS-2")
    segments = models.PositiveSmallIntegerField(default=0)
    lane = models.CharField(max_length=8, choices=Lane.choices, default=Lane.PRIORITY)
    category = models.CharField(
        max_length=20, choices=Category.choices, default="transactional", help_text="What it is for; rules follow it"
    )
    compliance = models.JSONField(default=list, blank=True, help_text="The pre-send rules' warnings and deferrals")
    twilio_sid = models.CharField(max_length=34, null=True, blank=True, unique=True)
    error_code = models.PositiveIntegerField(null=True, blank=True, help_text="Twilio's error code")
    failure_reason = models.CharField(max_length=20, blank=True, choices=[(r.value, r.value) for r in FailureReason])
    error_message = models.CharField(max_length=300, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=5, null=True, blank=True, help_text="Negative: a charge")
    price_unit = models.CharField(max_length=3, blank=True)
    validity_period = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds it may wait, 1-36,000")
    send_at = models.DateTimeField(null=True, blank=True, help_text="Not before this time")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, help_text="The worker's claim while sending")
    reconcile_lookups = models.PositiveSmallIntegerField(
        default=0, help_text="Lookups at Twilio after an unknown outcome"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in MessageStatus]), name="message_status_valid"
            ),
            models.CheckConstraint(condition=Q(direction__in=["outbound", "inbound"]), name="message_direction_valid"),
            models.CheckConstraint(condition=Q(lane__in=["priority", "bulk"]), name="message_lane_valid"),
            models.CheckConstraint(
                condition=Q(direction="inbound") | Q(sender__isnull=False), name="message_outbound_has_sender"
            ),
            models.CheckConstraint(
                condition=Q(direction="outbound") | Q(status="received", received_at__isnull=False),
                name="message_inbound_received",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=SENT_OR_LATER) | Q(sent_at__isnull=False), name="message_sent_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["delivered", "read"]) | Q(delivered_at__isnull=False),
                name="message_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["failed", "undelivered"]) | Q(failed_at__isnull=False),
                name="message_failed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="canceled") | Q(canceled_at__isnull=False), name="message_canceled_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claim_token__isnull=False), name="message_sending_is_claimed"
            ),
            models.CheckConstraint(
                condition=Q(validity_period__isnull=True) | Q(validity_period__gte=1, validity_period__lte=36_000),
                name="message_validity_period_range",
            ),
            # A campaign reaches a contact once, however often its expansion runs (and it is the campaign's index).
            models.UniqueConstraint(
                fields=["campaign", "contact"], condition=Q(campaign__isnull=False), name="message_campaign_contact"
            ),
            models.CheckConstraint(
                condition=Q(campaign_variant__isnull=True) | Q(campaign__isnull=False),
                name="message_variant_has_campaign",
            ),
        ]
        indexes = [
            # The outbox and the sweeper: literal states, so the planner can use them (reference/engine.md §3).
            models.Index(fields=["sender", "id"], condition=Q(status="queued"), name="message_outbox"),
            models.Index(fields=["send_at"], condition=Q(status="scheduled"), name="message_scheduled"),
            models.Index(fields=["sending_at"], condition=Q(status="sending"), name="message_sending"),
            models.Index(fields=["-id"], condition=Q(status__in=["failed", "undelivered"]), name="message_failed"),
            models.Index(fields=["to", "-id"], name="message_to_recent"),
            models.Index(fields=["sender", "-id"], name="message_sender_recent"),
            models.Index(
                fields=["campaign_variant"], condition=Q(campaign_variant__isnull=False), name="message_variant"
            ),
        ]

    def __str__(self) -> str:
        arrow = "→" if self.direction == self.Direction.OUTBOUND else "←"
        return f"{self.uuid} {arrow} {self.to} ({self.status})"


class MessageEvent(models.Model):
    """One change of a message or one callback about it, as it happened; kept whole, never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        QUEUED = "queued", "Queued"
        CLAIMED = "claimed", "Claimed by a worker"
        ACCEPTED = "accepted", "Accepted by Twilio"
        RETRY = "retry", "Retry scheduled"
        UNKNOWN = "unknown", "Outcome unknown"
        RECONCILED = "reconciled", "Reconciled with Twilio"
        CALLBACK = "callback", "Status callback"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"
        HELD = "held", "Held"
        DEFERRED = "deferred", "Deferred by a compliance rule"
        BLOCKED = "blocked", "Blocked by a compliance rule"
        RECEIVED = "received", "Received"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, blank=True, help_text="The message's status this event reports")
    provider_status = models.CharField(max_length=20, blank=True)
    error_code = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="The raw callback or provider answer")
    provider_time = models.DateTimeField(null=True, blank=True, help_text="The carrier's time (RawDlrDoneDate)")
    applied = models.BooleanField(default=True, help_text="False when a late or repeated callback changed nothing")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["message", "id"], name="event_message")]

    def __str__(self) -> str:
        return f"{self.message_id} {self.kind} {self.status}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a client sent with a write: the same key and payload within 24 h get the same answer."""

    key = models.CharField(max_length=255, unique=True)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the method, path and JSON body")
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class WebhookReplay(models.Model):
    """An inbound webhook that reached the fallback URL: its signed form kept whole until the main path took it."""

    params = models.JSONField(help_text="The form Twilio posted, as posted")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["id"], condition=Q(processed_at__isnull=True), name="replay_pending")]

    def __str__(self) -> str:
        return f"replay {self.pk} of {self.params.get('MessageSid', '?')}"
