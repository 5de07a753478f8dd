"""Forms of the compliance pages (shape only; the compliance services check the values and name the field they
refuse)."""

from __future__ import annotations

from django import forms

from compliance.domain import keywords as kw
from compliance.models import ComplianceSettings, Consent, RevocationReview
from compliance.services.settings import SENDER_KINDS

KIND_CHOICES = [(k.value, k.value.replace("_", "-").capitalize()) for k in kw.KeywordKind]


def _words(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class OptOutSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=32, label="Number", help_text="Part of the number, e.g. its digits")
    scope = forms.CharField(required=False, max_length=48, help_text="tenant, sender:<address> or pool:<id>")


class OptOutForm(forms.Form):
    number = forms.CharField(max_length=32, help_text="E.164, or a number of the tenant's country")
    scope = forms.CharField(
        max_length=48, initial="tenant", help_text="tenant (everything you send), sender:<address> or pool:<id>"
    )
    evidence = forms.CharField(required=False, max_length=2000, label="Note", help_text="How the person asked")


class LiftForm(forms.Form):
    evidence = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows the person opted back in: a START reply, a signed form, a recorded call",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV in UTF-8 with a header row naming a number column (number, phone, phone_number, mobile or to)"
        "; optional columns: scope, opted_out_at, evidence"
    )


class ConsentForm(forms.Form):
    number = forms.CharField(max_length=32)
    purpose = forms.ChoiceField(choices=Consent.Purpose.choices)
    source = forms.ChoiceField(choices=Consent.Source.choices)
    evidence = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The form and its wording, the keyword, a file; an import needs 'We attest …'",
    )
    disclosure = forms.CharField(required=False, max_length=5000, help_text="The words the person agreed to")
    collected_at = forms.DateTimeField(
        required=False, help_text="When the person agreed (YYYY-MM-DD HH:MM); default now"
    )
    lift_opt_out = forms.BooleanField(required=False, label="Also lift the number's opt-outs with this consent")


class KeywordForm(forms.Form):
    word = forms.CharField(max_length=40, help_text="One word, e.g. ALTO")
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    language = forms.CharField(max_length=8, initial="en", help_text="e.g. es, fr-CA")


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    language = forms.CharField(max_length=8, initial="en")
    text = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), help_text="Blank: the default"
    )


class SettingsForm(forms.Form):
    quiet_hours_enabled = forms.BooleanField(required=False, label="Keep a sending window")
    window_start = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M"), help_text="Recipient's local time, e.g. 08:00"
    )
    window_end = forms.TimeField(widget=forms.TimeInput(format="%H:%M"), help_text="Recipient's local time, e.g. 21:00")
    exempt_categories = forms.MultipleChoiceField(
        required=False,
        choices=[("transactional", "Transactional"), ("passcode", "Passcodes")],
        widget=forms.CheckboxSelectMultiple,
        help_text="May leave outside the window",
    )
    enabled_countries = forms.CharField(max_length=1000, help_text="ISO codes, separated by commas: US, CA, GB")
    opt_out_scope = forms.ChoiceField(choices=ComplianceSettings.Scope.choices, label="A keyword opt-out covers")
    revocation_action = forms.ChoiceField(
        choices=ComplianceSettings.RevocationAction.choices, label="A reply that reads as a request to stop"
    )
    max_segments = forms.IntegerField(min_value=1, max_value=100, help_text="Warn above this many segments")
    provider_reply_kinds = forms.MultipleChoiceField(
        required=False,
        choices=[(k, k.replace("_", " ")) for k in SENDER_KINDS],
        widget=forms.CheckboxSelectMultiple,
        label="Twilio or the carrier already answers STOP, START and HELP on",
    )
    lookup_on_import = forms.BooleanField(required=False, label="Look up the line type of imported numbers")
    lookup_nightly = forms.BooleanField(required=False, label="Look up numbers nightly")

    @classmethod
    def of(cls, settings: ComplianceSettings) -> SettingsForm:
        initial = {name: getattr(settings, name) for name in cls.base_fields}
        initial["enabled_countries"] = ", ".join(settings.enabled_countries)
        return cls(initial=initial)

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["enabled_countries"] = _words(data["enabled_countries"])
        return data


class ReviewDecisionForm(forms.Form):
    revoked = forms.TypedChoiceField(
        choices=[("1", "Treat as an opt-out"), ("0", "Not a request to stop")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(required=False, max_length=500, help_text="Why; needed when it is not a request to stop")


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any"), *RevocationReview.Status.choices])
