"""Sign-in and sign-out on tenant hosts."""

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tenants.forms import TenantAuthenticationForm


class TenantLoginView(LoginView):
    template_name = "tenants/login.html"
    authentication_form = TenantAuthenticationForm
    redirect_authenticated_user = False


@require_POST
def logout_view(request):
    logout(request)
    return redirect("ui:login")
