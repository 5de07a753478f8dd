import zoneinfo

import phonenumbers
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from tenants import keys, selectors
from tenants.models import Tenant
from tenants.people import signin
from tenants.services import SETTINGS_FIELDS


class TenantAuthenticationForm(AuthenticationForm):
    """Email and password; only members of this host's tenant may sign in here, and failures are throttled."""

    username = forms.EmailField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_member": "This account has no access to %(tenant)s.",
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = signin.password_check(request=self.request, email=email, password=password)
            except signin.SigninThrottled as exc:
                raise forms.ValidationError(exc.lockout.message, code="throttled") from exc
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        tenant = self.request.tenant
        if selectors.membership_for(user=user, tenant=tenant) is None:
            raise forms.ValidationError(
                self.error_messages["not_member"], code="not_member", params={"tenant": tenant.name}
            )


class TenantSettingsForm(forms.ModelForm):
    """The tenant's own settings; the service validates and audits the change."""

    time_zone = forms.ChoiceField(choices=[])
    default_country = forms.ChoiceField(choices=[])

    class Meta:
        model = Tenant
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "stop_reply": forms.Textarea(attrs={"rows": 2}),
            "start_reply": forms.Textarea(attrs={"rows": 2}),
            "help_reply": forms.Textarea(attrs={"rows": 2}),
        }

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
