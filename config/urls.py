"""Routes of tenant hosts: every route lives with its app, and this file only includes the apps' route lists.

`api:` names the REST API under /api/v1/ (the tenant comes from the API key), `ui:` the tenant UI (the tenant comes
from the host). Find a page or endpoint here, then in the app's `urls.py` or `api/urls.py`.
"""

from django.urls import include, path

from config import health

api_v1 = [
    path("", include("tenants.api.urls")),
    path("", include("messaging.api.urls")),
    path("", include("compliance.api.urls")),
]

ui = [
    path("", include("tenants.urls")),
    path("", include("messaging.urls")),
    path("", include("compliance.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("config.urls_api_docs")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("", include((ui, "ui"), namespace="ui")),
]
