"""The sign-in forms: tenant hosts and the platform admin, both throttled by the same locks.

Passwords count towards the same locks everywhere (per email and address, per address). The admin has a single
sign-in page, so a staff user with two-factor on enters the 6-digit code together with the email and password; wrong
codes count there too and towards the user's own code limit (`tenants.people.throttle`). On tenant hosts the code is
asked on a page of its own after the password (`tenants.people.views.login_code`).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from tenants import selectors
from tenants.audit import client_ip
from tenants.people import signin, throttle

CODE_REQUIRED = "Enter the 6-digit code from your authenticator app."


class ThrottledPasswordMixin:
    """`clean()` checks the email and password through the sign-in throttle, then `confirm_login_allowed`."""

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


class TenantAuthenticationForm(ThrottledPasswordMixin, AuthenticationForm):
    """Email and password; only members of this host's tenant may sign in here, and failures are throttled."""

    username = forms.EmailField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_member": "This account has no access to %(tenant)s.",
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        tenant = self.request.tenant
        if selectors.membership_for(user=user, tenant=tenant) is None:
            raise forms.ValidationError(
                self.error_messages["not_member"], code="not_member", params={"tenant": tenant.name}
            )


class AdminLoginForm(ThrottledPasswordMixin, AdminAuthenticationForm):
    """Email, password and, for users with two-factor on, a current code from their authenticator app."""

    code = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=10,
        help_text="Only if two-factor sign-in is on for your account.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )

    def clean(self):
        cleaned = super().clean()
        if self.user_cache is not None:
            self._check_code(self.user_cache)
            throttle.signin_success_record(email=self.user_cache.email, ip=client_ip(self.request))
        return cleaned

    def _check_code(self, user) -> None:
        if not user.has_two_factor:
            return
        code = self.cleaned_data.get("code", "")
        if not code:  # nothing was guessed, so nothing is counted
            raise forms.ValidationError({"code": CODE_REQUIRED})
        try:
            signin.code_check(request=self.request, user=user, code=code)
        except signin.SigninThrottled as exc:
            raise forms.ValidationError(exc.lockout.message, code="throttled") from exc
        except signin.CodeRejected as exc:
            raise forms.ValidationError({"code": CODE_REQUIRED}) from exc
