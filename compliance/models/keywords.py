"""The tenant's own keywords (beyond Twilio's defaults) and its reply texts per language."""

from django.db import models
from django.db.models import Q


class KeywordKind(models.TextChoices):
    OPT_OUT = "opt_out", "Opt-out"
    OPT_IN = "opt_in", "Opt-in"
    HELP = "help", "Help"


class Keyword(models.Model):
    """A keyword the tenant added, e.g. ALTO (opt-out, es); Twilio's defaults are not rows."""

    word = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=8, choices=KeywordKind.choices)
    language = models.CharField(max_length=8, default="en", help_text="BCP 47, e.g. es, fr-CA")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["kind", "word"]
        constraints = [models.CheckConstraint(condition=Q(word__regex=r"^[^\s a-z]+$"), name="keyword_one_upper_word")]

    def __str__(self) -> str:
        return f"{self.word} ({self.kind}, {self.language})"


class ReplyText(models.Model):
    """The answer to a keyword of a kind, in one language."""

    kind = models.CharField(max_length=8, choices=KeywordKind.choices)
    language = models.CharField(max_length=8, default="en")
    text = models.CharField(max_length=320)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="reply_text_per_kind_language")]

    def __str__(self) -> str:
        return f"{self.kind} reply ({self.language})"
