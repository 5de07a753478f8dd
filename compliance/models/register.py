"""The opt-out register: an append-only log of opt-outs and opt-ins, and the suppressions in force now.

`OptOutEvent` rows are never changed or deleted (a trigger refuses it): lifting an opt-out writes an opt-in event.
`Suppression` is the register's present, one row per number and scope, kept in step by the services in the same
transaction; the send path asks it.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class OptOutEvent(models.Model):
    """One opt-out or opt-in of a number, for one or more scopes: `tenant`, `sender:<address>`, `pool:<id>`."""

    class Kind(models.TextChoices):
        OPT_OUT = "opt_out", "Opt-out"
        OPT_IN = "opt_in", "Opt-in"

    class Source(models.TextChoices):
        KEYWORD = "keyword", "Keyword reply"
        TWILIO = "twilio", "Twilio (error 21610 or OptOutType)"
        REVOCATION = "revocation", "Other reply read as a revocation"
        API = "api", "API"
        UI = "ui", "Tenant UI"
        IMPORT = "import", "CSV import"
        STAFF = "staff", "ISV staff"
        CONSENT = "consent", "Consent record"

    number = models.CharField(max_length=16, help_text="E.164")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    scopes = ArrayField(models.CharField(max_length=48))
    source = models.CharField(max_length=10, choices=Source.choices)
    keyword = models.CharField(max_length=20, blank=True)
    message_sid = models.CharField(max_length=34, blank=True, help_text="The inbound message or failed send")
    body = models.CharField(max_length=1600, blank=True, help_text="The recipient's own words, when a reply")
    evidence = models.TextField(blank=True, help_text="Why an opt-out was lifted, or a staff or import note")
    actor_label = models.CharField(max_length=120, help_text="Email, API key prefix, 'handset' or 'system'")
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["number", "-occurred_at"], name="optout_event_number_time")]
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^\+[1-9][0-9]{6,14}$"), name="optout_event_e164"),
            models.CheckConstraint(condition=~Q(kind="opt_in") | ~Q(evidence=""), name="opt_in_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number} ({self.source})"


class Suppression(models.Model):
    """A number that may receive nothing (but its one confirmation) in a scope, since an opt-out event."""

    number = models.CharField(max_length=16)
    scope = models.CharField(max_length=48)
    opted_out_at = models.DateTimeField()
    event = models.ForeignKey(OptOutEvent, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opted_out_at"]
        constraints = [models.UniqueConstraint(fields=["number", "scope"], name="suppression_per_number_scope")]

    def __str__(self) -> str:
        return f"{self.number} suppressed ({self.scope})"
