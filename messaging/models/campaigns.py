"""Campaigns: one body template (or 2-5 A/B variants) sent to an audience of contacts, expanded into messages that
the dispatch engine sends like any other.

A campaign's audience is a definition (lists, tags, attribute filters, exclusions), evaluated as the campaign is
expanded, never a copy of the contacts. Expansion walks the audience in contact-id order and stores its cursor on
the campaign in the same transaction as the messages of each chunk, so a worker that dies resumes after the last
committed chunk; the unique (campaign, contact) index on messages makes a chunk written twice a no-op.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from messaging.models.senders import Sender, SenderPool

STATES = ["draft", "scheduled", "running", "paused", "completed", "canceled"]
SCHEDULES = ["now", "at", "local"]


class Campaign(models.Model):
    """A bulk send to an audience: its content, audience, schedule and state, and how far its expansion got."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        CANCELED = "canceled", "Canceled"

    class Schedule(models.TextChoices):
        NOW = "now", "As soon as it is launched"
        AT = "at", "At a time"
        LOCAL = "local", "At a local time in each recipient's zone"

    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, default="marketing", help_text="The use case; rules follow it")
    body = models.TextField(blank=True, help_text="The body template when the campaign has no variants")
    media_urls = models.JSONField(default=list, blank=True)
    sender = models.ForeignKey(Sender, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns")
    pool = models.ForeignKey(SenderPool, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns")
    # The audience: contacts on any of `list_ids` or with any of `tags`, matching every attribute filter, and on
    # none of `exclude_list_ids` and with none of `exclude_tags`.
    list_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    attribute_filters = models.JSONField(default=list, blank=True, help_text='[{"key", "op", "value"}]')
    exclude_list_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    exclude_tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    schedule = models.CharField(max_length=5, choices=Schedule.choices, default=Schedule.NOW)
    send_at = models.DateTimeField(null=True, blank=True, help_text="The moment, for a schedule `at`")
    local_date = models.DateField(null=True, blank=True, help_text="The day, for a schedule `local`")
    local_time = models.TimeField(null=True, blank=True, help_text="The time of day, for a schedule `local`")
    validity_period = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds a message may wait")
    track_links = models.BooleanField(
        default=False,
        help_text="The body's links become the tenant's short links, one per recipient, that count clicks",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    preflight = models.JSONField(default=dict, blank=True, help_text="The last preflight report")
    preflight_at = models.DateTimeField(null=True, blank=True)
    preflight_by = models.CharField(max_length=254, blank=True)
    preflight_digest = models.CharField(max_length=64, blank=True, help_text="What the preflight checked")
    recipients = models.PositiveIntegerField(default=0, help_text="Audience size when launched")
    expanded = models.PositiveIntegerField(default=0, help_text="Recipients expanded into messages so far")
    expansion_cursor = models.BigIntegerField(default=0, help_text="Contact id the expansion got to")
    expansion_done = models.BooleanField(default=False)
    created_by = models.CharField(max_length=254, blank=True)
    launched_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=STATES), name="campaign_state_valid"),
            models.CheckConstraint(condition=Q(schedule__in=SCHEDULES), name="campaign_schedule_valid"),
            models.CheckConstraint(
                condition=Q(sender__isnull=True) | Q(pool__isnull=True), name="campaign_sender_or_pool"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(sender__isnull=False) | Q(pool__isnull=False),
                name="campaign_launched_has_sender",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(launched_at__isnull=False), name="campaign_launched_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["completed", "canceled"]) | Q(finished_at__isnull=False),
                name="campaign_finished_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="paused") | Q(paused_at__isnull=False), name="campaign_paused_has_time"
            ),
            models.CheckConstraint(condition=~Q(schedule="at") | Q(send_at__isnull=False), name="campaign_at_has_time"),
            models.CheckConstraint(
                condition=~Q(schedule="local") | Q(local_date__isnull=False, local_time__isnull=False),
                name="campaign_local_has_time",
            ),
            models.CheckConstraint(
                condition=Q(validity_period__isnull=True) | Q(validity_period__gte=1, validity_period__lte=36_000),
                name="campaign_validity_period_range",
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(state__in=["scheduled", "running"]), name="campaign_active"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"


class CampaignVariant(models.Model):
    """One body of an A/B campaign and the share of the audience that gets it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=1, help_text="A to E")
    body = models.TextField()
    percent = models.PositiveSmallIntegerField(help_text="Share of the audience, 1-99; the variants sum to 100")

    class Meta:
        ordering = ["campaign", "label"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="campaign_variant_label_unique"),
            models.CheckConstraint(condition=Q(label__in=list("ABCDE")), name="campaign_variant_label_valid"),
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=99), name="campaign_variant_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.label} {self.percent}%"
