"""Forms of the tenant UI (shape only; services validate the business rules)."""

from django import forms

from messaging.domain import throughput
from messaging.models import Sender


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
        self.fields["senders"].queryset = Sender.objects.all()


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
        self.fields["sender"].queryset = Sender.objects.all()


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
