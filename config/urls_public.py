"""URLs of the platform's own host: the ISV staff admin, health probes and API docs."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from config import health
from messaging import admin_views
from tenants.api import platform

platform_api = [
    path("tenants", platform.PlatformTenantListView.as_view(), name="tenants"),
    re_path(
        r"^tenants/(?P<slug>[a-z0-9-]+)/(?P<action>suspend|reactivate|close)$",
        platform.PlatformTenantStatusView.as_view(),
        name="tenant_status",
    ),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(
        "admin/tenants/tenant/<slug:slug>/senders/",
        admin.site.admin_view(admin_views.tenant_senders),
        name="admin_tenant_senders",
    ),
    path("admin/", admin.site.urls),
    path("api/platform/", include((platform_api, "platform"), namespace="platform")),
    path("", include("config.urls_api_docs")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
