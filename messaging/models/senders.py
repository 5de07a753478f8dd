"""Senders of every kind, pools of senders, and the sticky sender a pool keeps per recipient."""

from django.db import models
from django.db.models import Q


class Sender(models.Model):
    """A way the tenant sends: a number, short code, alphanumeric ID or Messaging Service pool."""

    class Kind(models.TextChoices):
        LONG_CODE = "long_code", "Long code"
        A2P_10DLC = "a2p_10dlc", "A2P 10DLC"
        TOLL_FREE = "toll_free", "Toll-free"
        SHORT_CODE = "short_code", "Short code"
        ALPHANUMERIC = "alphanumeric", "Alphanumeric sender ID"
        MESSAGING_SERVICE = "messaging_service", "Messaging Service pool"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.CharField(
        max_length=34, unique=True, help_text="E.164 number, short code, alphanumeric ID or MG… SID"
    )
    label = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 of the sender")
    mps = models.DecimalField(max_digits=7, decimal_places=2, help_text="Effective message segments per second")
    two_way = models.BooleanField(default=True)
    sms = models.BooleanField(default=True)
    mms = models.BooleanField(default=False)
    voice = models.BooleanField(default=False)
    registration_state = models.CharField(
        max_length=12, blank=True, help_text="10DLC, toll-free verification or short code state; blank if none"
    )
    registration_reference = models.CharField(max_length=64, blank=True, help_text="Brand/campaign or request id")
    twilio_sid = models.CharField(max_length=34, blank=True, help_text="PN… or MG… SID in the subaccount")
    synced_at = models.DateTimeField(null=True, blank=True, help_text="Last seen in the subaccount")
    paused = models.BooleanField(default=False, help_text="Holds the sender's outbox: nothing leaves until resumed")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "address"]
        constraints = [models.CheckConstraint(condition=Q(mps__gt=0), name="sender_mps_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.address}"


class SenderPool(models.Model):
    """Senders that share traffic; a sender is picked per recipient (see messaging.domain.pools)."""

    name = models.CharField(max_length=80, unique=True)
    messaging_service_sid = models.CharField(max_length=34, blank=True, help_text="MG… when Twilio manages the pool")
    two_way = models.BooleanField(default=True, help_text="Replies expected: alphanumeric senders are never used")
    senders = models.ManyToManyField(Sender, related_name="pools", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StickySender(models.Model):
    """The sender a pool used for a number last time, so a conversation keeps one sender."""

    pool = models.ForeignKey(SenderPool, on_delete=models.CASCADE, related_name="sticky")
    phone_number = models.CharField(max_length=16)
    sender = models.ForeignKey(Sender, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pool", "phone_number"], name="sticky_unique_pool_number")]

    def __str__(self) -> str:
        return f"{self.phone_number} → {self.sender.address}"
