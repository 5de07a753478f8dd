"""Consent records: who agreed to what, how we know, and when an opt-out took it back."""

from django.db import models
from django.db.models import Q


class Consent(models.Model):
    """A number's consent to a purpose, with its evidence. Kept when revoked; revocation is marked, not deleted."""

    class Purpose(models.TextChoices):
        MARKETING = "marketing", "Marketing"
        TRANSACTIONAL = "transactional", "Transactional"
        PASSCODE = "passcode", "Passcodes"

    class Source(models.TextChoices):
        WEB_FORM = "web_form", "Web form"
        KEYWORD = "keyword", "Keyword"
        PAPER = "paper", "Paper or in person"
        VERBAL = "verbal", "Recorded call"
        IMPORT = "import", "Import with attestation"
        API = "api", "API"

    number = models.CharField(max_length=16, help_text="E.164")
    purpose = models.CharField(max_length=14, choices=Purpose.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    evidence = models.TextField(help_text="What shows it: the form's URL and wording, the keyword, a file reference")
    evidence_ref = models.CharField(max_length=500, blank=True, help_text="A file or record reference")
    disclosure = models.TextField(blank=True, help_text="The words the person agreed to")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    collected_at = models.DateTimeField(help_text="When the person agreed")
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor_label = models.CharField(max_length=120)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "compliance.OptOutEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="revoked_consents"
    )

    class Meta:
        ordering = ["-collected_at", "-id"]
        indexes = [models.Index(fields=["number", "purpose"], name="consent_number_purpose")]
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^\+[1-9][0-9]{6,14}$"), name="consent_e164"),
            models.CheckConstraint(condition=~Q(evidence=""), name="consent_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.number} consents to {self.purpose}"
