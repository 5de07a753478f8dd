"""Routes of the platform's own host: the ISV staff admin, the platform API, health probes, API docs and
short links (`/l/`, routed here from every host).

Staff pages about tenants' data are registered by the apps' admin modules; staff's own pages (two-factor) live in
`tenants/people/admin_urls.py`; the platform API's routes live in `tenants/api/platform/urls.py`.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include("tenants.people.admin_urls")),  # before the admin's catch-all
    path("admin/", admin.site.urls),
    path("api/platform/", include("tenants.api.platform.urls")),
    path("webhooks/", include("messaging.webhooks.urls")),
    path("l/", include("messaging.link_urls")),  # short links, on every host (tenants/middleware.py)
    path("", include("config.urls_api_docs")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
