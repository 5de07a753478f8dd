"""Forms of the people pages: they check shape; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from tenants.models import Membership, Tenant
from tenants.people import services
from tenants.roles import OWNER


def role_choices(*, include_owner: bool) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Membership.Role.choices if include_owner or value != OWNER]


class InvitationCreateForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=[])

    def __init__(self, *args, include_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(include_owner=include_owner)
        self.fields["role"].initial = Membership.Role.OPERATOR


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class CodeForm(forms.Form):
    """A 6-digit code from an authenticator app."""

    code = forms.CharField(
        label="6-digit code",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )


class InvitationNewAccountForm(forms.Form):
    """A new person's name and password; the service applies the password rules."""

    full_name = forms.CharField(label="Your name", max_length=150)
    password1 = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return cleaned


class InvitationSignInForm(forms.Form):
    """The password of the account the invitation was sent to."""

    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True})
    )


class TenantPasswordResetForm(PasswordResetForm):
    """Reset links go only to members of this host's tenant and to people it has invited (pending invitation),
    within the hourly limits on reset emails; the page says the same whatever the address, sent or not."""

    def __init__(self, *args, tenant: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if services.password_reset_email_allowed(user=user, tenant=self.tenant)
        )
