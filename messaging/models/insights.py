"""The tenant's insight rollups: deltas written by a trigger on every change of a message, squashed into hourly rows.

A database trigger on `messaging_message` appends, in the same transaction as the change, the message's old
contribution with a minus sign and its new one with a plus sign (messages, segments, cost, latency buckets), keyed by
the hour the message was created in and its dimensions. Nothing on the send path updates a shared row: the squash
(a beat task) folds the deltas into `InsightRollup` with `INSERT ... ON CONFLICT DO UPDATE`. A dimension is a
column of every table here, in the trigger's key and in the rollups' unique keys.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class InsightCounters(models.Model):
    """What rollup rows of every kind add up: messages, segments, cost, messages carrying tracked links, and the
    latency counts, sums and buckets."""

    messages = models.BigIntegerField(default=0)
    segments = models.BigIntegerField(default=0)
    cost = models.DecimalField(max_digits=16, decimal_places=5, default=0, help_text="Twilio's price, positive")
    linked = models.BigIntegerField(default=0, help_text="Messages whose body carries tracked links")
    sent_count = models.BigIntegerField(default=0)
    sent_ms = models.BigIntegerField(default=0, help_text="Queued → sent, summed")
    sent_histogram = ArrayField(models.BigIntegerField(), default=list)
    delivered_count = models.BigIntegerField(default=0)
    delivered_ms = models.BigIntegerField(default=0, help_text="Sent → delivered, summed")
    delivered_histogram = ArrayField(models.BigIntegerField(), default=list)

    class Meta:
        abstract = True


class InsightSums(InsightCounters):
    """The dimensions and the sums that deltas, hourly and daily rollup rows share."""

    direction = models.CharField(max_length=8)
    sender_id = models.BigIntegerField(default=0, help_text="0: none")
    sender_address = models.CharField(max_length=34, blank=True)
    sender_kind = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="The other party's, from the number")
    category = models.CharField(max_length=20, blank=True)
    campaign_id = models.BigIntegerField(default=0, help_text="0: not a campaign's")
    variant = models.CharField(max_length=1, blank=True, help_text="The campaign variant's label; blank for none")
    status = models.CharField(max_length=12)
    error_code = models.IntegerField(default=0, help_text="0: none")

    class Meta:
        abstract = True


class InsightRow(InsightSums):
    """An hour and the dimensions, with their sums."""

    hour = models.DateTimeField(help_text="The hour the message was created in (UTC)")

    class Meta:
        abstract = True


class InsightDayRow(InsightSums):
    """A day of the tenant's time zone and the dimensions, with their sums."""

    day = models.DateField(help_text="The day, in the tenant's time zone, of the hour the message was created in")

    class Meta:
        abstract = True


# The rollup's key: the hour and every dimension.
DIMENSIONS = (
    "hour", "direction", "sender_id", "sender_address", "sender_kind", "country", "category", "campaign_id", "variant",
    "status", "error_code",
)  # fmt: skip


class InsightDelta(InsightRow):
    """One change of one message's contribution to the rollup (append-only; the squash deletes what it folded)."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.status} {self.messages:+d}"


class InsightRollup(InsightRow):
    """Messages of one hour and one set of dimensions, as the last squash left them."""

    class Meta:
        ordering = ["hour"]
        constraints = [models.UniqueConstraint(fields=list(DIMENSIONS), name="insight_rollup_key")]
        indexes = [models.Index(fields=["hour"], name="insight_rollup_hour")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.status} {self.messages}"


DAY_DIMENSIONS = ("day", *DIMENSIONS[1:])


class InsightDay(InsightDayRow):
    """The hourly rollup added up per day of the tenant's time zone: what date ranges read (a day's rows are
    computed again from its hours whenever the squash changes one of them)."""

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=list(DAY_DIMENSIONS), name="insight_day_key")]
        indexes = [models.Index(fields=["day"], name="insight_day_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.status} {self.messages}"


class InsightOptOutHour(models.Model):
    """Opt-outs the recipients asked for (keyword, Twilio, revocation), per hour they happened in."""

    hour = models.DateTimeField(unique=True)
    opt_outs = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["hour"]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.opt_outs}"


class ClickCounts(models.Model):
    """Clicks of tracked links in one hour, of one campaign and variant (0 and blank: single messages' links);
    `clickers` counts each recipient's first click of an owner's links only, so it adds up across hours."""

    hour = models.DateTimeField()
    campaign_id = models.BigIntegerField(default=0)
    variant = models.CharField(max_length=1, blank=True)
    clicks = models.BigIntegerField(default=0)
    clickers = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class InsightClickHour(ClickCounts):
    """The tenant's clicks per hour they happened in, campaign and variant, as the squash counts them."""

    class Meta:
        ordering = ["hour"]
        constraints = [
            models.UniqueConstraint(fields=["hour", "campaign_id", "variant"], name="insight_click_hour_key")
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.campaign_id}{self.variant} {self.clickers}/{self.clicks}"


class InsightCursor(models.Model):
    """How far the squash has read an append-only log of another app (the opt-out register)."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_id}"
