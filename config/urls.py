"""URLs of tenant hosts (the tenant UI) and of the API (tenant resolved from the API key)."""

from django.urls import include, path

from config import health
from tenants.api.views import CurrentTenantView

api_v1 = [
    path("tenant", CurrentTenantView.as_view(), name="tenant"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("config.urls_api_docs")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("", include(("config.urls_ui", "ui"), namespace="ui")),
]
