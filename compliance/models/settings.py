"""The tenant's compliance settings: one row per tenant schema."""

from datetime import time

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

DEFAULT_PROVIDER_REPLY_KINDS = ["long_code", "a2p_10dlc", "toll_free", "messaging_service"]


def _provider_reply_kinds() -> list[str]:
    return list(DEFAULT_PROVIDER_REPLY_KINDS)


class ComplianceSettings(models.Model):
    """How the tenant's opt-outs, hours and content rules behave. The single row has id 1."""

    class Scope(models.TextChoices):
        TENANT = "tenant", "Everything the tenant sends"
        SENDER = "sender", "The sender it reached (and the pools it is in)"

    class RevocationAction(models.TextChoices):
        REVIEW = "review", "Queue for a person to review"
        SUPPRESS = "suppress", "Suppress at once, then review"

    quiet_hours_enabled = models.BooleanField(default=True)
    window_start = models.TimeField(default=time(8, 0), help_text="Recipient's local time; sends start at")
    window_end = models.TimeField(default=time(21, 0), help_text="Recipient's local time; sends stop at")
    exempt_categories = ArrayField(
        models.CharField(max_length=20), default=list, blank=True,
        help_text="Categories that may leave outside the window: transactional, passcode",
    )  # fmt: skip
    enabled_countries = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    opt_out_scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.TENANT)
    revocation_action = models.CharField(
        max_length=8, choices=RevocationAction.choices, default=RevocationAction.REVIEW
    )
    max_segments = models.PositiveSmallIntegerField(default=10)
    provider_reply_kinds = ArrayField(
        models.CharField(max_length=20), default=_provider_reply_kinds, blank=True,
        help_text="Sender kinds whose STOP, START and HELP Twilio or the carrier already answer",
    )  # fmt: skip
    removed_keywords = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    lookup_on_import = models.BooleanField(default=False, help_text="Look up the line type of imported numbers")
    lookup_nightly = models.BooleanField(
        default=False, help_text="Look up numbers never or long ago looked up, nightly"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name_plural = "compliance settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="compliance_settings_single_row"),
            models.CheckConstraint(condition=Q(max_segments__gte=1, max_segments__lte=100), name="max_segments_range"),
        ]

    def __str__(self) -> str:
        return "Compliance settings"
