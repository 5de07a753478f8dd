"""Sign-in and sign-out on tenant hosts."""

from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tenants.people import signin
from tenants.people.signin_forms import TenantAuthenticationForm


class TenantLoginView(LoginView):
    """Email and password; users with two-factor continue to the code step before they are signed in."""

    template_name = "tenants/login.html"
    authentication_form = TenantAuthenticationForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        next_url = self.get_success_url()
        if signin.signin_begin(self.request, user=form.get_user(), next_url=next_url):
            return HttpResponseRedirect(next_url)
        return redirect("ui:login_code")


@require_POST
def logout_view(request):
    """Sign out (also the support banner's "Leave support mode": a support session ends with it)."""
    signin.signout(request)
    return redirect("ui:login")
