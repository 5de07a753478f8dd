"""The tenants app's API endpoints under /api/v1/ (namespace `api`, included by `config/urls.py`)."""

from django.urls import path

from tenants.api import api_keys, tenant

urlpatterns = [
    path("tenant", tenant.CurrentTenantView.as_view(), name="tenant"),
    path("api-keys", api_keys.ApiKeyListView.as_view(), name="api_keys"),
    path("api-keys/<str:prefix>", api_keys.ApiKeyDetailView.as_view(), name="api_key"),
]
