from django import forms
from django.contrib.auth.forms import AuthenticationForm

from tenants import selectors


class TenantAuthenticationForm(AuthenticationForm):
    """Email and password; only members of this host's tenant may sign in here."""

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
