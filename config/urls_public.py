"""URLs of the platform's own host: the ISV staff admin, health probes and API docs."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("config.urls_api_docs")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
