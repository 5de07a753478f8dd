"""The messaging app's API endpoints under /api/v1/ (namespace `api`, included by `config/urls.py`)."""

from django.urls import path

from messaging.api import (
    contact_imports,
    contacts,
    links,
    lists,
    messages,
    plans,
    recommendations,
    senders,
    tools,
    webhooks,
)

urlpatterns = [
    path("contacts", contacts.ContactListView.as_view(), name="contacts"),
    path("contacts/<int:contact_id>", contacts.ContactDetailView.as_view(), name="contact"),
    path("contacts/export", contacts.ContactExportView.as_view(), name="contacts_export"),
    path("contacts/imports", contact_imports.ImportListView.as_view(), name="contact_imports"),
    path("contacts/imports/<int:import_id>", contact_imports.ImportDetailView.as_view(), name="contact_import"),
    path(
        "contacts/imports/<int:import_id>/cancel",
        contact_imports.ImportCancelView.as_view(),
        name="contact_import_cancel",
    ),
    path(
        "contacts/imports/<int:import_id>/rejects",
        contact_imports.ImportRejectsView.as_view(),
        name="contact_import_rejects",
    ),
    path("lists", lists.ListsView.as_view(), name="lists"),
    path("lists/<int:list_id>", lists.ListDetailView.as_view(), name="list"),
    path("lists/<int:list_id>/members", lists.ListMembersView.as_view(), name="list_members"),
    path("lists/<int:list_id>/members/<int:contact_id>", lists.ListMemberView.as_view(), name="list_member"),
    path("messages", messages.MessageListView.as_view(), name="messages"),
    path("messages/<uuid:message_id>", messages.MessageDetailView.as_view(), name="message"),
    path("messages/<uuid:message_id>/events", messages.MessageEventsView.as_view(), name="message_events"),
    path("messages/<uuid:message_id>/cancel", messages.MessageCancelView.as_view(), name="message_cancel"),
    path("messages/<uuid:message_id>/links", links.MessageLinksView.as_view(), name="message_links"),
    path("links/<int:link_id>/clicks", links.LinkClicksView.as_view(), name="link_clicks"),
    path("tools/links", links.LinksPreviewView.as_view(), name="tools_links"),
    path("tools/segments", tools.SegmentsView.as_view(), name="tools_segments"),
    path("tools/throughput", tools.ThroughputView.as_view(), name="tools_throughput"),
    path("senders", senders.SenderListView.as_view(), name="senders"),
    path("senders/recommendations", recommendations.RecommendationView.as_view(), name="senders_recommendations"),
    path("senders/<int:sender_id>/registration", senders.SenderRegistrationView.as_view(), name="sender_registration"),
    path("senders/sync", senders.SenderSyncView.as_view(), name="senders_sync"),
    path("senders/numbers", senders.NumberBuyView.as_view(), name="senders_buy"),
    path("sender-pools", senders.PoolListView.as_view(), name="sender_pools"),
    path("sender-plans", plans.SenderPlanListView.as_view(), name="sender_plans"),
    path("sender-plans/<int:plan_id>", plans.SenderPlanDetailView.as_view(), name="sender_plan"),
    path("sender-plans/<int:plan_id>/provision", plans.SenderPlanProvisionView.as_view(), name="sender_plan_provision"),
    path("webhook-endpoints", webhooks.WebhookEndpointListView.as_view(), name="webhook_endpoints"),
    path("webhook-endpoints/<int:endpoint_id>", webhooks.WebhookEndpointDetailView.as_view(), name="webhook_endpoint"),
    path(
        "webhook-endpoints/<int:endpoint_id>/rotate-secret",
        webhooks.WebhookEndpointRotateView.as_view(),
        name="webhook_endpoint_rotate_secret",
    ),
    path(
        "webhook-endpoints/<int:endpoint_id>/test",
        webhooks.WebhookEndpointTestView.as_view(),
        name="webhook_endpoint_test",
    ),
    path(
        "webhook-endpoints/<int:endpoint_id>/deliveries",
        webhooks.WebhookDeliveryListView.as_view(),
        name="webhook_deliveries",
    ),
    path(
        "webhook-endpoints/<int:endpoint_id>/deliveries/<int:delivery_id>",
        webhooks.WebhookDeliveryDetailView.as_view(),
        name="webhook_delivery",
    ),
    path(
        "webhook-endpoints/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver",
        webhooks.WebhookDeliveryRedeliverView.as_view(),
        name="webhook_delivery_redeliver",
    ),
]
