"""Tracked links and their clicks: one row per distinct URL per owner, one row per click (none per recipient)."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5


class TrackedLink(models.Model):
    """A URL of an owner's body (a campaign, or a single message), reached through short links per recipient."""

    class OwnerKind(models.TextChoices):
        CAMPAIGN = "campaign", "Campaign"
        MESSAGE = "message", "Message"

    url = models.TextField(help_text="Where the short link redirects, as it was in the body")
    owner_kind = models.CharField(max_length=10, choices=OwnerKind.choices)
    owner_id = models.BigIntegerField(help_text="The campaign's or message's id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # The hash keeps the index small whatever the URL's length.
            models.UniqueConstraint("owner_kind", "owner_id", MD5("url"), name="trackedlink_unique_owner_url"),
            models.CheckConstraint(condition=Q(owner_kind__in=["campaign", "message"]), name="trackedlink_owner_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_kind} {self.owner_id}: {self.url}"


class LinkClick(models.Model):
    """One click of a short link: which link, which recipient, which variant, when."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="clicks")
    recipient_ref = models.BigIntegerField(help_text="The recipient the short link was made for (a message id)")
    variant = models.CharField(max_length=1, blank=True, help_text="The variant's label; blank for none")
    clicked_at = models.DateTimeField()
    user_agent = models.CharField(max_length=300, blank=True)
    ip_hash = models.CharField(max_length=16, blank=True, help_text="A keyed hash of the address, never the address")

    class Meta:
        ordering = ["-clicked_at", "-id"]
        indexes = [models.Index(fields=["link", "recipient_ref"], name="linkclick_link_recipient")]

    def __str__(self) -> str:
        return f"click on link {self.link_id} by {self.recipient_ref} at {self.clicked_at:%Y-%m-%d %H:%M}"
