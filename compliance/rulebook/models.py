"""Sending hours and marketing caps per country or state, in the public schema; ISV staff edit them."""

from django.db import models
from django.db.models import Q


class SendingHours(models.Model):
    """The hours (and optional cap) one country or state sets, in the recipient's local time.

    `windows` is a list of {"days": [0..6] (Monday = 0), "start": "HH:MM", "end": "HH:MM"}; an end at or before the
    start runs past midnight.
    """

    rule = models.CharField(max_length=10, help_text="The rule id findings name, e.g. TIME-02")
    place = models.CharField(max_length=60, help_text="How messages name it, e.g. Florida")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    region = models.CharField(max_length=3, blank=True, help_text="State or province code; blank: the whole country")
    windows = models.JSONField(default=list)
    marketing_only = models.BooleanField(default=True, help_text="Off: every message keeps these hours")
    cap = models.PositiveSmallIntegerField(default=0, help_text="Marketing messages allowed per period; 0 = none")
    cap_period_hours = models.PositiveSmallIntegerField(default=24)
    cap_rule = models.CharField(max_length=10, blank=True, help_text="The rule id a cap finding names")
    source = models.TextField(help_text="The law or guideline, with where to read it")
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "region"]
        verbose_name_plural = "sending hours"
        constraints = [
            models.UniqueConstraint(fields=["country", "region"], name="sending_hours_per_place"),
            models.CheckConstraint(condition=Q(cap_period_hours__gte=1), name="cap_period_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.place}"
