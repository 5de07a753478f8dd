"""Public-schema tables of insights: what the ISV view reads without looping over tenant schemas."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from messaging.domain.insights import Rule
from messaging.models.insight_totals import TOTAL_DIMENSIONS, InsightTotalSums
from messaging.models.insights import DAY_DIMENSIONS, DIMENSIONS, ClickCounts, InsightDayRow, InsightRow
from tenants.models import Tenant

# The sums a figure without latency needs, kept in the covering indexes.
COVERED = ["messages", "segments", "cost"]


class CallingCode(models.Model):
    """A calling-code prefix (digits after +) and the country it belongs to; NANP area codes outside the US are
    listed on their own (1416 → CA). The rollup trigger takes the longest prefix of a number found here."""

    prefix = models.CharField(max_length=6, primary_key=True)
    country = models.CharField(max_length=2)

    def __str__(self) -> str:
        return f"+{self.prefix} {self.country}"


class TenantRollup(InsightRow):
    """A tenant's `InsightRollup` row, copied by the tenant's squash for the hours it changed."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["hour"]
        verbose_name = "insights across tenants"
        verbose_name_plural = "insights across tenants"
        constraints = [models.UniqueConstraint(fields=["tenant", *DIMENSIONS], name="tenant_rollup_key")]
        indexes = [models.Index(fields=["hour", "tenant"], name="tenant_rollup_hour")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.hour:%Y-%m-%d %H}h {self.status} {self.messages}"


class TenantDay(InsightDayRow):
    """A tenant's `InsightDay` row (days of the tenant's own time zone), copied by the tenant's squash."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["tenant", *DAY_DIMENSIONS], name="tenant_day_key")]
        indexes = [
            models.Index(fields=["day", "tenant"], name="tenant_day_day"),
            # Covering: the ranking of the tenants' senders is read from the index alone.
            models.Index(
                fields=["day", "tenant", "sender_address", *TOTAL_DIMENSIONS],
                include=COVERED,
                name="tenant_day_senders",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day} {self.status} {self.messages}"


class TenantDayTotal(InsightTotalSums):
    """A tenant's `InsightDayTotal` row, copied by the tenant's squash: what the ISV view's summary, days and tenant
    rankings read (one row per tenant, day, direction, status and error code)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day, in the tenant's time zone, of the hour the messages were created in")

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "day", *TOTAL_DIMENSIONS], name="tenant_day_total_key")
        ]
        # Covering: the days and tenants without latency are read from the index alone.
        indexes = [
            models.Index(fields=["day", "tenant", *TOTAL_DIMENSIONS], include=COVERED, name="tenant_day_total_day")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day} {self.status} {self.messages}"


class TenantDayLatency(models.Model):
    """A tenant's latency histograms of a day (of its zone), its outbound `InsightDayTotal` rows added up by the
    squash: what latency over a range of days of every tenant reads (one row per tenant and day)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day, in the tenant's time zone, of the hour the messages were created in")
    sent_histogram = ArrayField(models.BigIntegerField(), default=list)
    delivered_histogram = ArrayField(models.BigIntegerField(), default=list)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["tenant", "day"], name="tenant_day_latency_key")]
        indexes = [models.Index(fields=["day", "tenant"], name="tenant_day_latency_day")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day}"


class TenantSenderDay(models.Model):
    """A tenant's outcomes per sender and day (of the tenant's zone), added up by the squash from its daily rollup:
    what the ISV view's rankings of senders and tenants read (one row per sender and day, whatever the statuses,
    codes and other dimensions)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day, in the tenant's time zone, of the hour the messages were created in")
    sender_address = models.CharField(max_length=34, blank=True)
    messages = models.BigIntegerField(default=0, help_text="Outbound")
    inbound = models.BigIntegerField(default=0)
    delivered = models.BigIntegerField(default=0)
    failed = models.BigIntegerField(default=0)
    filtered = models.BigIntegerField(default=0, help_text="Failed with the carrier-filtering code (30007)")

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "day", "sender_address"], name="tenant_sender_day_key")
        ]
        indexes = [models.Index(fields=["day", "tenant"], name="tenant_sender_day_day")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day} {self.sender_address} {self.messages}"


class TenantOptOutHour(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    opt_outs = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["hour"]
        constraints = [models.UniqueConstraint(fields=["tenant", "hour"], name="tenant_optout_hour_key")]
        indexes = [models.Index(fields=["hour", "tenant"], include=["opt_outs"], name="tenant_optout_hour")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.hour:%Y-%m-%d %H}h {self.opt_outs}"


class TenantClickHour(ClickCounts):
    """A tenant's `InsightClickHour` row, copied by the tenant's squash."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["hour"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "hour", "campaign_id", "variant"], name="tenant_click_hour_key")
        ]
        indexes = [models.Index(fields=["hour", "tenant"], name="tenant_click_hour")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.hour:%Y-%m-%d %H}h {self.clickers}/{self.clicks}"


class TenantOptOutDay(models.Model):
    """A tenant's opt-outs of one UTC day: its `TenantOptOutHour` rows added up by the squash, for ranges of whole
    UTC days (the ISV view)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="UTC")
    opt_outs = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["tenant", "day"], name="tenant_optout_day_key")]
        indexes = [models.Index(fields=["day", "tenant"], include=["opt_outs"], name="tenant_optout_day")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day} {self.opt_outs}"


class HealthThresholds(models.Model):
    """When a tenant's traffic opens an incident; rates in percent. A tenant without a row has the defaults."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    error_rate_percent = models.DecimalField(max_digits=5, decimal_places=2, default=2)
    opt_out_rate_percent = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    filtering_rate_percent = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    registration_errors = models.PositiveIntegerField(default=1)
    queue_overflows = models.PositiveIntegerField(default=1)
    debugger_errors = models.PositiveIntegerField(default=1)
    min_messages = models.PositiveIntegerField(default=20, help_text="Rates count only from this many outcomes")
    window_minutes = models.PositiveIntegerField(default=60, help_text="How far back the rules look")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(error_rate_percent__gt=0, error_rate_percent__lte=100)
                & Q(opt_out_rate_percent__gt=0, opt_out_rate_percent__lte=100)
                & Q(filtering_rate_percent__gt=0, filtering_rate_percent__lte=100),
                name="health_rates_percent",
            ),
            models.CheckConstraint(
                condition=Q(window_minutes__gte=10, window_minutes__lte=1440), name="health_window_range"
            ),
        ]

    def __str__(self) -> str:
        return f"thresholds of {self.tenant_id}"


class Incident(models.Model):
    """A rule a tenant's traffic broke: open from `started_at` until the rule holds again (`ended_at`)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=20, choices=[(r.value, r.value) for r in Rule])
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    value = models.FloatField(help_text="The figure when it opened (a fraction for rates, else a count)")
    threshold = models.FloatField()
    peak = models.FloatField(help_text="The worst figure seen while open")
    figures = models.JSONField(default=dict, help_text="The window's figures when it opened")
    last_figures = models.JSONField(default=dict, help_text="The window's figures at the last evaluation")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "rule"], condition=Q(status="open"), name="incident_one_open_per_rule"
            ),
            models.CheckConstraint(condition=Q(status="open") | Q(ended_at__isnull=False), name="incident_closed_end"),
        ]
        indexes = [models.Index(fields=["tenant", "-started_at"], name="incident_tenant_recent")]

    def __str__(self) -> str:
        return f"{self.rule} of {self.tenant_id} ({self.status})"


class DebuggerEvent(models.Model):
    """An event Twilio's debugger posted about a tenant's subaccount (signed with the subaccount's token)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    sid = models.CharField(max_length=34, unique=True)
    level = models.CharField(max_length=10)
    error_code = models.IntegerField(null=True, blank=True)
    more_info = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["tenant", "-occurred_at"], name="debugger_tenant_recent")]

    def __str__(self) -> str:
        return f"{self.sid} {self.level} {self.error_code}"
