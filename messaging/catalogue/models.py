"""The sender catalogue in the public schema: what each sender type can do, per-country rules, 10DLC tiers.

Seeded from `messaging.domain.catalogue.DEFAULT_CATALOGUE`; ISV staff edit it in the admin. Every row maps to one
frozen dataclass of that module (`messaging.catalogue.convert`), so the wizard runs on exactly what staff keep here.
"""

from django.db import models

from messaging.domain.catalogue import AlphanumericSupport, RegistrationRoute


class SenderType(models.Model):
    """One kind of sender (short code, A2P 10DLC, toll-free, alphanumeric, ...) and its facts."""

    code = models.SlugField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the sender matrix; breaks ties")
    label = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, help_text="The kind of sender a provisioned sender of this type is")
    default_mps = models.PositiveIntegerField(null=True, blank=True, help_text="Blank: per country or per tier")
    mps_text = models.CharField(max_length=300, blank=True)
    volume_limit_text = models.CharField(max_length=300, blank=True)
    daily_volume_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Segments a day; blank: none")
    registration_route = models.CharField(
        max_length=20, choices=[(route.value, route.value.replace("_", " ")) for route in RegistrationRoute]
    )
    registration_text = models.CharField(max_length=300, blank=True)
    registration_steps = models.JSONField(default=list, blank=True, help_text="A list of steps, in order")
    two_way = models.BooleanField()
    voice = models.BooleanField()
    voice_text = models.CharField(max_length=300, blank=True)
    delivery_receipts = models.CharField(max_length=300, blank=True)
    lead_time_min_days = models.PositiveIntegerField(null=True, blank=True, help_text="Blank: per country")
    lead_time_max_days = models.PositiveIntegerField(null=True, blank=True)
    lead_time_business_days = models.BooleanField(default=False)
    lead_time_text = models.CharField(max_length=120, blank=True)
    recurring_fee = models.BooleanField(null=True, blank=True, help_text="Blank: unknown")
    recurring_fee_text = models.CharField(max_length=300, blank=True)
    recurring_fee_usd = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    carrier_fee = models.BooleanField(null=True, blank=True, help_text="Blank: unknown")
    carrier_fee_text = models.CharField(max_length=300, blank=True)
    carrier_fee_usd = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    one_time_fee_text = models.CharField(max_length=300, blank=True, help_text="Registration and vetting fees")
    one_time_fee_usd = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fees_read_on = models.DateField(null=True, blank=True, help_text="When the fee amounts were read")
    fees_source = models.CharField(max_length=300, blank=True, help_text="The page the fee amounts come from")
    sender_is_local = models.BooleanField(help_text="A sender of the destination country")
    vetted = models.BooleanField(help_text="Registered or verified with the carriers before it sends")
    scales_with_senders = models.BooleanField(help_text="More senders of this type add throughput")
    throughput_note = models.CharField(max_length=300, blank=True)
    countries = models.JSONField(null=True, blank=True, help_text="The only destinations (ISO codes); blank: any")
    sources = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


class CountryRule(models.Model):
    """What a destination country accepts: sender types, alphanumeric rules, MPS and lead-time overrides."""

    country = models.CharField(max_length=2, unique=True, help_text="ISO 3166-1 alpha-2")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=80)
    offered = models.JSONField(default=list, help_text="Sender type codes that may send to this country")
    alphanumeric = models.CharField(
        max_length=20, choices=[(value.value, value.value.replace("_", " ")) for value in AlphanumericSupport]
    )
    long_code_local = models.BooleanField(help_text="Local numbers may send application-to-person messages")
    two_way_supported = models.BooleanField(default=True)
    mps_overrides = models.JSONField(default=dict, blank=True, help_text='{"type code": MPS or null}')
    lead_time_overrides = models.JSONField(
        default=dict, blank=True, help_text='{"type code": {"min_days", "max_days", "business_days", "text"} or null}'
    )
    unavailable = models.JSONField(default=dict, blank=True, help_text='{"type code": "why it is not offered"}')
    extra_steps = models.JSONField(default=dict, blank=True, help_text='{"type code": ["country step", ...]}')
    transactional_mps_overrides = models.JSONField(
        default=dict, blank=True, help_text='{"type code": MPS for passcodes and transactional messages}'
    )
    marketing_rules = models.JSONField(
        default=list, blank=True, help_text="When and how often marketing messages may be sent, one rule a line"
    )
    carrier_filtering = models.JSONField(default=dict, blank=True, help_text='{"type code": "how carriers filter it"}')
    carrier_share_percent = models.JSONField(
        default=dict, blank=True, help_text='{"carrier": assumed percent of recipients}, e.g. {"T-Mobile": 40}'
    )
    notes = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "country"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class TrustTier(models.Model):
    """A US A2P 10DLC throughput tier by Trust Score."""

    code = models.SlugField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Highest throughput first")
    label = models.CharField(max_length=120)
    trust_score_min = models.PositiveSmallIntegerField(null=True, blank=True)
    trust_score_max = models.PositiveSmallIntegerField(null=True, blank=True)
    total_mps = models.PositiveIntegerField()
    per_carrier_mps = models.JSONField(default=dict, blank=True, help_text='{"AT&T": 75, "T-Mobile": 75, ...}')
    tmobile_daily_cap = models.PositiveIntegerField(null=True, blank=True, help_text="Segments a day; blank: unknown")
    is_default = models.BooleanField(default=False, help_text="Assumed when the brand's Trust Score is not known")
    notes = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label
