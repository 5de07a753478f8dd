"""URLs of tenant hosts (the tenant UI) and of the API (tenant resolved from the API key)."""

from django.urls import include, path

from config import health
from messaging.api import recommendations as recommendations_api
from messaging.api import senders as senders_api
from messaging.api import tools as tools_api
from tenants.api import views as tenant_api

api_v1 = [
    path("tenant", tenant_api.CurrentTenantView.as_view(), name="tenant"),
    path("api-keys", tenant_api.ApiKeyListView.as_view(), name="api_keys"),
    path("api-keys/<str:prefix>", tenant_api.ApiKeyDetailView.as_view(), name="api_key"),
    path("tools/segments", tools_api.SegmentsView.as_view(), name="tools_segments"),
    path("tools/throughput", tools_api.ThroughputView.as_view(), name="tools_throughput"),
    path("senders", senders_api.SenderListView.as_view(), name="senders"),
    path("senders/recommendations", recommendations_api.RecommendationView.as_view(), name="senders_recommendations"),
    path(
        "senders/<int:sender_id>/registration", senders_api.SenderRegistrationView.as_view(), name="sender_registration"
    ),
    path("senders/sync", senders_api.SenderSyncView.as_view(), name="senders_sync"),
    path("senders/numbers", senders_api.NumberBuyView.as_view(), name="senders_buy"),
    path("sender-pools", senders_api.PoolListView.as_view(), name="sender_pools"),
    path("sender-plans", recommendations_api.SenderPlanListView.as_view(), name="sender_plans"),
    path("sender-plans/<int:plan_id>", recommendations_api.SenderPlanDetailView.as_view(), name="sender_plan"),
    path(
        "sender-plans/<int:plan_id>/provision",
        recommendations_api.SenderPlanProvisionView.as_view(),
        name="sender_plan_provision",
    ),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("config.urls_api_docs")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("", include(("config.urls_ui", "ui"), namespace="ui")),
]
