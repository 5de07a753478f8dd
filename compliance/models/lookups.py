"""Lookup results per number: line type and validity, kept for a while so a number is looked up once."""

from django.db import models


class NumberLookup(models.Model):
    """What Twilio Lookup said of a number; `expires_at` says when to ask again."""

    number = models.CharField(max_length=16, unique=True)
    valid = models.BooleanField()
    line_type = models.CharField(max_length=16, blank=True, help_text="mobile, landline, nonFixedVoip, ...")
    carrier = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True)
    looked_up_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-looked_up_at"]
        indexes = [models.Index(fields=["expires_at"], name="lookup_expires")]

    def __str__(self) -> str:
        return f"{self.number}: {self.line_type or ('valid' if self.valid else 'invalid')}"
