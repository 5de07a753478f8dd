"""Outbound webhooks: the tenant's endpoints, one delivery per event per endpoint, and every attempt at it.

An endpoint's secret is stored encrypted (`tenants.crypto`) and shown only when it is made; after a rotation the
previous one keeps signing until `previous_secret_expires_at`. A delivery is claimed (`pending`/`failed` →
`sending`) before its POST, so a task that runs twice sends it once; it ends `succeeded` or `given_up`.
"""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class WebhookEndpoint(models.Model):
    """A URL of the tenant's that receives the events it subscribed to, signed with its secret."""

    url = models.CharField(max_length=2000, help_text="https URL of a public host")
    description = models.CharField(max_length=200, blank=True)
    event_types = ArrayField(models.CharField(max_length=32), default=list, help_text="What it subscribed to")
    secret_encrypted = models.TextField(help_text="Fernet-encrypted signing secret")
    secret_created_at = models.DateTimeField()
    previous_secret_encrypted = models.TextField(blank=True, help_text="The secret before the last rotation")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0, help_text="Failed attempts since the last success")
    failing_since = models.DateTimeField(null=True, blank=True, help_text="The first of those failures")
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enabled=True) | Q(disabled_at__isnull=False), name="webhook_endpoint_disabled_has_time"
            ),
            models.CheckConstraint(
                condition=Q(previous_secret_encrypted="") | Q(previous_secret_expires_at__isnull=False),
                name="webhook_endpoint_previous_secret_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({'enabled' if self.enabled else 'disabled'})"


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: its body as sent, where it stands, and the last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        FAILED = "failed", "Failed, will be retried"
        SUCCEEDED = "succeeded", "Succeeded"
        GIVEN_UP = "given_up", "Given up"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, help_text="The event's id; a redelivery keeps it")
    event_type = models.CharField(max_length=32)
    body = models.TextField(help_text="The JSON body exactly as every attempt sends it")
    occurred_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, help_text="The worker's claim while sending")
    sending_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response_body = models.CharField(max_length=1000, blank=True, help_text="The start of the answer")
    last_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="redeliveries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True, help_text="When it succeeded or was given up")

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "failed", "succeeded", "given_up"]),
                name="webhook_delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claim_token__isnull=False, sending_at__isnull=False),
                name="webhook_delivery_sending_is_claimed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["pending", "failed"]) | Q(next_attempt_at__isnull=False),
                name="webhook_delivery_waiting_is_due",
            ),
        ]
        indexes = [
            models.Index(fields=["endpoint", "-id"], name="webhook_delivery_endpoint"),
            # The sweep's questions, with literal states so the planner uses them (reference/engine.md §3).
            models.Index(
                fields=["next_attempt_at"], condition=Q(status__in=["pending", "failed"]), name="webhook_delivery_due"
            ),
            models.Index(fields=["sending_at"], condition=Q(status="sending"), name="webhook_delivery_sending"),
            models.Index(fields=["created_at"], name="webhook_delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → endpoint {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery: where it went and what came back (or why nothing did)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    url = models.CharField(max_length=2000)
    address = models.CharField(max_length=45, blank=True, help_text="The IP address connected to")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=1000, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["delivery", "id"], name="webhook_attempt_delivery")]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}: {self.response_status or self.error}"
