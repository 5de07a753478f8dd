"""Forms of the tenant UI (shape only; services validate the business rules)."""

import re
from zoneinfo import ZoneInfo

from django import forms
from django.urls import reverse_lazy

from compliance.domain.rules import SENDABLE_CATEGORIES
from messaging import selectors
from messaging.catalogue.selectors import current_catalogue
from messaging.domain import throughput
from messaging.domain.failures import LABELS
from messaging.domain.recommend import USE_CASE_EXAMPLES, USE_CASE_LABELS
from messaging.domain.segments import MAX_BODY_CHARACTERS
from messaging.domain.webhooks import events as webhook_events
from messaging.errors import MessagingValidationError
from messaging.gateways.base import MAX_MEDIA_URLS, MAX_VALIDITY_PERIOD_SECONDS
from messaging.models import Sender
from messaging.services.contacts import normalize_phone_number
from messaging.services.plans import DEFAULT_AREA_CODES


class SenderForm(forms.Form):
    kind = forms.ChoiceField(choices=Sender.Kind.choices)
    address = forms.CharField(max_length=34, help_text="Phone number, short code, alphanumeric ID or MG… SID")
    country = forms.CharField(max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2, e.g. US")
    mps = forms.DecimalField(max_digits=7, decimal_places=2, min_value=0.01, label="MPS")
    label = forms.CharField(max_length=80, required=False)


class PoolForm(forms.Form):
    name = forms.CharField(max_length=80)
    senders = forms.ModelMultipleChoiceField(queryset=Sender.objects.none(), widget=forms.CheckboxSelectMultiple)
    two_way = forms.BooleanField(required=False, initial=True, label="Replies expected (two-way)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["senders"].queryset = selectors.senders()


class NumberBuyForm(forms.Form):
    phone_number = forms.CharField(max_length=20, required=False, help_text="A specific number, e.g. +14155550123")
    area_code = forms.CharField(max_length=3, required=False, help_text="Or any number in a US/CA area code")
    label = forms.CharField(max_length=80, required=False)


class TestSendForm(forms.Form):
    sender = forms.ModelChoiceField(queryset=Sender.objects.none())
    to = forms.CharField(max_length=20, help_text="Your own mobile number")
    body = forms.CharField(max_length=1600, widget=forms.Textarea(attrs={"rows": 3}), initial="Test from Switchboard")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = selectors.senders()


# --- Messages -------------------------------------------------------------------------------------------------


class MessageComposeForm(forms.Form):
    """A one-off message: shape only; `message_send` checks the number, the sender, the content and the times."""

    to = forms.CharField(max_length=20, help_text="A mobile number; without a country code, your country is assumed")
    sender = forms.ChoiceField(
        label="From", help_text="A sender, or a pool that picks one of its senders per recipient"
    )
    body = forms.CharField(
        required=False,
        max_length=10 * MAX_BODY_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4, "data-segment-counter": reverse_lazy("ui:segments_preview")}),
    )
    media_urls = forms.CharField(
        required=False,
        label="Media URLs",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Optional, for an MMS: https URLs Twilio can fetch, one a line, at most {MAX_MEDIA_URLS}",
    )
    category = forms.ChoiceField(
        required=False,
        choices=[(c.value, c.value.capitalize()) for c in SENDABLE_CATEGORIES],
        initial="transactional",
        help_text="Marketing needs the recipient's consent and keeps every sending-hours rule",
    )
    send_at = forms.DateTimeField(
        required=False,
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    track_links = forms.BooleanField(
        required=False,
        label="Track links",
        help_text="Replace each link of the body with a short link of yours that counts clicks; the segment count "
        "is then that of the short links",
    )
    validity_period = forms.IntegerField(
        required=False,
        label="Validity period (s)",
        help_text=f"Optional: drop the message if it has not left within this many seconds "
        f"(1 to {MAX_VALIDITY_PERIOD_SECONDS:,})",
    )

    def __init__(self, *args, time_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["send_at"].help_text = f"Optional: not before this time ({time_zone}); blank sends now"
        self.senders = {f"sender:{sender.pk}": sender for sender in selectors.senders()}
        self.pools = {f"pool:{pool.pk}": pool for pool in selectors.pools()}
        senders = [
            (key, f"{sender.address} · {sender.label or sender.get_kind_display()}")
            for key, sender in self.senders.items()
        ]
        pools = [(key, f"Pool {pool.name}") for key, pool in self.pools.items()]
        groups = [("Senders", senders), ("Pools", pools)]
        self.fields["sender"].choices = [
            ("", "Choose a sender or a pool"),
            *((name, group) for name, group in groups if group),
        ]

    def clean_category(self) -> str:
        return self.cleaned_data["category"] or "transactional"

    def clean_media_urls(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["media_urls"].splitlines() if line.strip()]

    def clean_send_at(self):
        """The time as typed, on the tenant's clock."""
        typed = self.cleaned_data["send_at"]
        return None if typed is None else typed.replace(tzinfo=None).replace(tzinfo=ZoneInfo(self.time_zone))

    def message_arguments(self) -> dict:
        """The cleaned form as message_send's keyword arguments (all but the tenant and the source)."""
        data = dict(self.cleaned_data)
        chosen = data.pop("sender")
        origin = {"sender": self.senders[chosen]} if chosen in self.senders else {"pool": self.pools[chosen]}
        return {**data, **origin}


MAX_ID = 2**63 - 1


class MessageFilterForm(forms.Form):
    """The filters of a message list (a GET form) and the page to show; shape only."""

    number = forms.CharField(required=False, max_length=20, label="To")
    sender = forms.ModelChoiceField(queryset=Sender.objects.none(), required=False, empty_label="Any sender")
    status = forms.ChoiceField(required=False)
    failure_reason = forms.ChoiceField(
        required=False,
        label="Failure reason",
        choices=[("", "Any reason"), *((reason.value, label) for reason, label in LABELS.items())],
    )
    error_code = forms.IntegerField(required=False, min_value=0, max_value=999_999, label="Twilio error code")
    since = forms.DateField(required=False, label="Since (UTC)", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Until (UTC)", widget=forms.DateInput(attrs={"type": "date"}))
    # the page: ids from the page links, never typed
    before = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, *args, box: selectors.MessageBox, default_country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_country = default_country
        self.fields["sender"].queryset = selectors.senders()
        self.fields["status"].choices = [
            ("", "Any status"),
            *((status, status.capitalize()) for status in box.statuses),
        ]
        if box.inbound:
            self.fields["number"].label = "From"
        if box.name != "failed":
            del self.fields["failure_reason"], self.fields["error_code"]

    def clean_number(self) -> str:
        typed = self.cleaned_data["number"].strip()
        if not typed:
            return ""
        try:
            e164, _ = normalize_phone_number(typed, default_country=self.default_country)
        except MessagingValidationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return e164

    def filters(self) -> selectors.MessageFilters:
        """The cleaned filters (all empty for an unbound form)."""
        data = self.cleaned_data if self.is_bound else {}
        return selectors.MessageFilters(
            number=data.get("number", ""),
            sender=data.get("sender"),
            status=data.get("status", ""),
            failure_reason=data.get("failure_reason", ""),
            error_code=data.get("error_code"),
            since=data.get("since"),
            until=data.get("until"),
        )


class SegmentsPreviewForm(forms.Form):
    """What the live segment counter posts as JSON: the body as typed (spaces kept, blank allowed) and whether Smart
    Encoding is on (a JSON boolean)."""

    body = forms.CharField(required=False, strip=False, max_length=10 * MAX_BODY_CHARACTERS)
    smart_encoding = forms.Field(required=False)

    def clean_body(self) -> str:
        if "body" not in self.data:
            raise forms.ValidationError("This field is required.")
        return self.cleaned_data["body"]

    def clean_smart_encoding(self) -> bool:
        value = self.data.get("smart_encoding", False)
        if not isinstance(value, bool):
            raise forms.ValidationError("Must be a valid boolean.")
        return value


class ThroughputForm(forms.Form):
    """Shape only: the calculator checks the ranges and names the field it refuses."""

    recipients = forms.IntegerField()
    segments_per_message = forms.IntegerField(
        initial=1, help_text="The segment calculator counts them for a body", label="Segments per message"
    )
    total_mps = forms.DecimalField(
        max_digits=10, decimal_places=2, label="Senders' total MPS", help_text="Segments per second, summed"
    )
    queue_horizon_seconds = forms.IntegerField(
        initial=throughput.DEFAULT_QUEUE_HORIZON_SECONDS,
        label="Queue horizon (s)",
        help_text="A sender queues up to 10 h (36,000 s); 14,400 s reproduces the older 4 h figures",
    )
    validity_period_seconds = forms.IntegerField(
        required=False, label="Validity period (s)", help_text="Optional: the messages' ValidityPeriod, 1 to 36,000"
    )
    api_latency_ms = forms.IntegerField(initial=throughput.DEFAULT_API_LATENCY_MS, label="API latency (ms)")
    margin_percent = forms.IntegerField(initial=throughput.DEFAULT_MARGIN_PERCENT, label="Margin (%)")


# --- Sender-selection wizard and sender plans ------------------------------------------------------------------

USE_CASE_CHOICES = [(code, f"{label}: {USE_CASE_EXAMPLES[code]}") for code, label in USE_CASE_LABELS.items()]
PRIORITY_CHOICES = [
    ("balanced", "Balanced"),
    ("deliverability", "Deliverability first: registered or verified senders"),
    ("cost", "Cost first: no recurring or carrier fees"),
]


class WizardUseCaseForm(forms.Form):
    """Wizard step 1: what the messages are for, and whether recipients reply."""

    use_case = forms.ChoiceField(choices=USE_CASE_CHOICES, widget=forms.RadioSelect, label="What are the messages for?")
    two_way = forms.TypedChoiceField(
        choices=[("false", "One-way: we send, nobody replies"), ("true", "Two-way: recipients reply")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        initial="false",
        label="Do recipients reply?",
    )


class WizardVolumeForm(forms.Form):
    """Wizard step 2: where the messages go, how many, and the peak (or the MPS it needs)."""

    countries = forms.CharField(
        max_length=300,
        label="Destination countries",
        help_text="Two-letter country codes separated by commas, e.g. US, GB (UK is read as GB)",
    )
    daily_volume = forms.IntegerField(label="Messages a day")
    peak_messages = forms.IntegerField(required=False, label="Peak: messages", help_text="The most sent in one burst")
    peak_window_minutes = forms.IntegerField(
        required=False, min_value=1, max_value=1440, label="Peak: within minutes", help_text="How long the burst lasts"
    )
    required_mps = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=3,
        label="Or: required MPS",
        help_text="Segments per second at peak, if you know it instead of the peak",
    )
    segments_per_message = forms.IntegerField(
        initial=1, label="Segments per message", help_text="The segment calculator counts them for a body"
    )

    def clean_countries(self) -> list[str]:
        return [code for code in re.split(r"[\s,;]+", self.cleaned_data["countries"]) if code]

    def clean(self):
        cleaned = super().clean()
        has_peak = cleaned.get("peak_messages") is not None or cleaned.get("peak_window_minutes") is not None
        has_mps = cleaned.get("required_mps") is not None
        if has_peak and has_mps:
            self.add_error("required_mps", "Give either the peak or the required MPS, not both.")
        elif not has_peak and not has_mps and not self.has_error("required_mps"):
            self.add_error("peak_messages", "Give the peak (messages and minutes) or the required MPS.")
        return cleaned


class WizardTimingForm(forms.Form):
    """Wizard step 3: go-live, time sensitivity and validity period, cost versus deliverability, voice, Trust Score."""

    go_live = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Go-live date")
    time_sensitive = forms.BooleanField(required=False, label="Time-sensitive: late messages are useless")
    validity_period_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=600,
        label="Validity period (minutes)",
        help_text="How long a message may wait to be sent before it is dropped; blank is Twilio's 600 minutes (10 h)",
    )
    priority = forms.ChoiceField(
        choices=PRIORITY_CHOICES, widget=forms.RadioSelect, initial="balanced", label="What matters more?"
    )
    voice = forms.BooleanField(required=False, label="The numbers must take voice calls too")
    tendlc_tier = forms.ChoiceField(
        required=False,
        label="US brand Trust Score (A2P 10DLC)",
        help_text="Leave it unknown when the brand is not registered yet: the catalogue's default tier is assumed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = current_catalogue().tendlc_tiers
        self.fields["tendlc_tier"].choices = [("", "Not known yet"), *((tier.code, tier.label) for tier in tiers)]


class SenderPlanSaveForm(forms.Form):
    name = forms.CharField(
        max_length=120, required=False, label="Plan name", help_text="Leave blank to name it after the use case"
    )


class SenderPlanProvisionForm(forms.Form):
    """The inputs of a provisioning run: area codes of the numbers to buy, the alphanumeric sender ID."""

    def __init__(self, *args, area_code_countries=(), alphanumeric_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for country in area_code_countries:
            self.fields[f"area_code_{country}"] = forms.CharField(
                max_length=3,
                required=False,
                initial=DEFAULT_AREA_CODES[country],
                label=f"Area code of the {country} number",
                help_text=f"Blank uses {DEFAULT_AREA_CODES[country]}",
            )
        if alphanumeric_id is not None:
            self.fields["alphanumeric_id"] = forms.CharField(
                max_length=11,
                required=False,
                initial=alphanumeric_id,
                label="Alphanumeric sender ID",
                help_text="1 to 11 letters, digits or spaces, with at least one letter; blank uses your name",
            )

    def provisioning_options(self) -> dict:
        """The cleaned inputs as plan_provision's keyword arguments."""
        prefix = "area_code_"
        return {
            "area_codes": {
                name.removeprefix(prefix): value for name, value in self.cleaned_data.items() if name.startswith(prefix)
            },
            "alphanumeric_id": self.cleaned_data.get("alphanumeric_id", ""),
        }


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(max_length=2000, label="URL", help_text="https, on a host with a public address")
    description = forms.CharField(max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        choices=[
            (event.value, f"{event.value}: {webhook_events.LABELS[event]}") for event in webhook_events.SUBSCRIBABLE
        ],
        widget=forms.CheckboxSelectMultiple,
        label="Events",
    )


class WebhookSecretRotateForm(forms.Form):
    grace_hours = forms.TypedChoiceField(coerce=int, label="The current secret")

    def __init__(self, *args, grace_hours: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grace_hours"].choices = [
            (grace_hours, f"keeps signing beside the new one for {grace_hours} hours"),
            (0, "stops signing now (it leaked)"),
        ]
        self.fields["grace_hours"].initial = grace_hours
