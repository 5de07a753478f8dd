"""Replies that read as a request to stop without being a keyword: a person decides within 10 business days."""

from django.db import models


class RevocationReview(models.Model):
    """A reply such as "Stop please", waiting for a person (47 CFR 64.1200(a)(10) and (a)(11))."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        REVOKED = "revoked", "Treated as an opt-out"
        DISMISSED = "dismissed", "Not a revocation"

    number = models.CharField(max_length=16)
    body = models.CharField(max_length=1600)
    message_sid = models.CharField(max_length=34, unique=True)
    scopes = models.JSONField(default=list, help_text="The scopes an opt-out would cover")
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="10 business days after it arrived")
    suppressed_at_once = models.BooleanField(default=False)
    opt_out_event = models.ForeignKey(
        "compliance.OptOutEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["status", "due_at"]

    def __str__(self) -> str:
        return f"review {self.number}: {self.status}"
