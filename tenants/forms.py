"""Forms of the tenants pages (shape only): the tenant's settings and API keys."""

import zoneinfo

import phonenumbers
from django import forms

from tenants import keys
from tenants.models import Tenant
from tenants.services.settings import SETTINGS_FIELDS


class TenantSettingsForm(forms.ModelForm):
    """The tenant's own settings; the service validates and audits the change."""

    time_zone = forms.ChoiceField(choices=[])
    default_country = forms.ChoiceField(choices=[])

    class Meta:
        model = Tenant
        fields = list(SETTINGS_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]
        self.fields["default_country"].choices = [(code, code) for code in sorted(phonenumbers.SUPPORTED_REGIONS)]


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(max_length=80)
    scopes = forms.MultipleChoiceField(
        choices=[(scope, scope) for scope in keys.SCOPES], widget=forms.CheckboxSelectMultiple
    )
    expires_at = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
