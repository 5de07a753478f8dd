"""URLs of the platform's own host: the ISV staff admin, health probes and API docs."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import health
from messaging import admin_views
from tenants.api import platform

PLATFORM_SCHEMA = {
    "TITLE": "Switchboard platform API",
    "DESCRIPTION": "The ISV's own automation: onboard tenants (each gets its Twilio subaccount), suspend, reactivate "
    "and close them. Authenticate with `Authorization: Bearer <platform key>` (`manage.py create_platform_key`); "
    "errors are RFC 9457 problem+json.",
    "SCHEMA_PATH_PREFIX": "/api/platform",
}

platform_api = [
    path("tenants", platform.PlatformTenantListView.as_view(), name="tenants"),
    re_path(
        r"^tenants/(?P<slug>[a-z0-9-]+)/(?P<action>suspend|reactivate|close)$",
        platform.PlatformTenantStatusView.as_view(),
        name="tenant_status",
    ),
]

platform_docs = [
    path(
        "schema/",
        SpectacularAPIView.as_view(
            urlconf="config.urls_public",
            custom_settings=PLATFORM_SCHEMA,
            permission_classes=[],
            authentication_classes=[],
        ),
        name="platform-schema",
    ),
    path(
        "schema/swagger/",
        SpectacularSwaggerView.as_view(url_name="platform-schema", permission_classes=[], authentication_classes=[]),
        name="platform-swagger-ui",
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
    path("api/platform/", include(platform_docs)),
    path("", include("config.urls_api_docs")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
