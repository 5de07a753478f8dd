"""The platform API under /api/platform/ on the public host (namespace `platform`), and its own OpenAPI document."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tenants.api.platform import views

PLATFORM_SCHEMA = {
    "TITLE": "Switchboard platform API",
    "DESCRIPTION": "The ISV's own automation: onboard tenants (each gets its Twilio subaccount), suspend, reactivate "
    "and close them. Authenticate with `Authorization: Bearer <platform key>` (`manage.py create_platform_key`); "
    "errors are RFC 9457 problem+json.",
    "SCHEMA_PATH_PREFIX": "/api/platform",
}

app_name = "platform"

urlpatterns = [
    path("tenants", views.PlatformTenantListView.as_view(), name="tenants"),
    re_path(
        r"^tenants/(?P<slug>[a-z0-9-]+)/(?P<action>(?:suspend|reactivate|close))$",
        views.PlatformTenantStatusView.as_view(),
        name="tenant_status",
    ),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            urlconf="config.urls_public",
            custom_settings=PLATFORM_SCHEMA,
            permission_classes=[],
            authentication_classes=[],
        ),
        name="schema",
    ),
    path(
        "schema/swagger/",
        SpectacularSwaggerSplitView.as_view(
            url_name="platform:schema", permission_classes=[], authentication_classes=[]
        ),
        name="swagger-ui",
    ),
]
