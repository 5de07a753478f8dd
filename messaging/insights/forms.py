"""Forms of the insights pages: the dashboard's range and filters, and the health thresholds."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from compliance.domain.rules import Category
from messaging.insights.models import HealthThresholds
from messaging.models import Campaign, Sender

DATE = forms.DateInput(attrs={"type": "date"})


class InsightsFilterForm(forms.Form):
    start = forms.DateField(required=False, widget=DATE, help_text="First day (default: a week ago)")
    end = forms.DateField(required=False, widget=DATE, help_text="Last day, included (default: today)")
    bucket = forms.ChoiceField(choices=[("day", "By day"), ("hour", "By hour")], required=False, initial="day")
    sender = forms.ModelChoiceField(queryset=Sender.objects.none(), required=False, empty_label="Every sender")
    sender_type = forms.ChoiceField(choices=[("", "Every type"), *Sender.Kind.choices], required=False)
    country = forms.RegexField(
        regex=r"^[A-Za-z]{2}$",
        required=False,
        max_length=2,
        error_messages={"invalid": "Two letters, e.g. US"},
        widget=forms.TextInput(attrs={"placeholder": "e.g. US", "size": 4}),
    )
    category = forms.ChoiceField(
        choices=[("", "Every category"), *((c.value, c.value.replace("_", " ")) for c in Category)], required=False
    )

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), required=False, empty_label="Every campaign")
    variant = forms.ChoiceField(
        choices=[("", "Every variant"), *((label, f"Variant {label}") for label in "ABCDE")], required=False
    )

    def __init__(self, *args, senders, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders
        self.fields["campaign"].queryset = campaigns

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound else {}
        sender = data.get("sender")
        return {
            "first": data.get("start"),
            "last": data.get("end"),
            "bucket": data.get("bucket") or "day",
            "sender_id": sender.pk if sender else None,
            "sender_kind": data.get("sender_type") or "",
            "country": (data.get("country") or "").upper(),
            "category": data.get("category") or "",
            "campaign_id": data["campaign"].pk if data.get("campaign") else None,
            "variant": data.get("variant") or "",
        }


class HealthThresholdsForm(forms.ModelForm):
    class Meta:
        model = HealthThresholds
        fields = [
            "error_rate_percent", "opt_out_rate_percent", "filtering_rate_percent", "registration_errors",
            "queue_overflows", "debugger_errors", "min_messages", "window_minutes",
        ]  # fmt: skip
        labels = {
            "error_rate_percent": "Delivery error rate above (%)",
            "opt_out_rate_percent": "Opt-out rate above (%)",
            "filtering_rate_percent": "Carrier filtering (30007) above (%)",
            "registration_errors": "Registration errors (30032, 30034) from",
            "queue_overflows": "Queue overflows (30001, 21611) from",
            "debugger_errors": "Debugger errors from",
            "min_messages": "Rates count from this many outcomes",
            "window_minutes": "Window (minutes)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("error_rate_percent", "opt_out_rate_percent", "filtering_rate_percent"):
            self.fields[name].validators += [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))]
        self.fields["window_minutes"].validators += [MinValueValidator(10), MaxValueValidator(1440)]
        for name in ("registration_errors", "queue_overflows", "debugger_errors", "min_messages"):
            self.fields[name].validators.append(MinValueValidator(1))
