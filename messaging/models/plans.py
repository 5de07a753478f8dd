"""Sender plans: saved answers of the sender-selection wizard and how their provisioning went."""

from django.db import models
from django.db.models import Q


class SenderPlan(models.Model):
    """A saved answer of the sender-selection wizard: the request, its recommendation, and how provisioning went."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PROVISIONING = "provisioning", "Provisioning"
        PROVISIONED = "provisioned", "Provisioned"
        PARTLY_PROVISIONED = "partly_provisioned", "Partly provisioned"

    name = models.CharField(max_length=120)
    request = models.JSONField(help_text="The wizard's answers, as the recommendation read them")
    recommendation = models.JSONField(help_text="messaging.domain.recommend.Recommendation.to_dict()")
    created_by = models.CharField(max_length=254, blank=True, help_text="E-mail of the user, or the API key")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    provisioning_log = models.JSONField(default=list, blank=True, help_text="One entry per provisioning step")
    provisioned_at = models.DateTimeField(null=True, blank=True, help_text="End of the last provisioning run")
    provisioning_started_at = models.DateTimeField(
        null=True, blank=True, help_text="Start of the current or last provisioning run"
    )
    provisioning_options = models.JSONField(
        default=dict, blank=True, help_text="The current or last run's inputs, who started it, the step in flight"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "provisioning", "provisioned", "partly_provisioned"]),
                name="senderplan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
