"""The tenant UI."""

from django.urls import path

from messaging import views as messaging_views
from tenants import views as tenant_views

urlpatterns = [
    path("login/", tenant_views.TenantLoginView.as_view(), name="login"),
    path("logout/", tenant_views.logout_view, name="logout"),
    path("", messaging_views.dashboard, name="dashboard"),
]
