"""The messaging app's pages on tenant hosts (namespace `ui`, included by `config/urls.py`)."""

from django.urls import path

from messaging.views import dashboard, messages, plans, senders, tools, webhooks, wizard

urlpatterns = [
    path("senders/", senders.sender_list, name="senders"),
    path("senders/add/", senders.sender_add, name="sender_add"),
    path("senders/<int:sender_id>/registration/", senders.sender_registration, name="sender_registration"),
    path("senders/pools/add/", senders.pool_add, name="pool_add"),
    path("senders/sync/", senders.senders_sync, name="senders_sync"),
    path("senders/buy/", senders.number_buy, name="number_buy"),
    path("senders/test/", senders.sender_test_send, name="sender_test_send"),
    path("senders/wizard/", wizard.sender_wizard, name="sender_wizard"),
    path("senders/plans/<int:plan_id>/", plans.sender_plan, name="sender_plan"),
    path("senders/plans/<int:plan_id>/provision/", plans.sender_plan_provision, name="sender_plan_provision"),
    path("messages/", messages.message_list, {"box": "outbox"}, name="messages"),
    path("messages/sent/", messages.message_list, {"box": "sent"}, name="messages_sent"),
    path("messages/failed/", messages.message_list, {"box": "failed"}, name="messages_failed"),
    path("messages/canceled/", messages.message_list, {"box": "canceled"}, name="messages_canceled"),
    path("messages/inbox/", messages.message_list, {"box": "inbox"}, name="messages_inbox"),
    path("messages/compose/", messages.message_compose, name="message_compose"),
    path("messages/<uuid:message_uuid>/", messages.message_detail, name="message"),
    path("messages/<uuid:message_uuid>/cancel/", messages.message_cancel, name="message_cancel"),
    path("tools/segments/", tools.segments_tool, name="segments_tool"),
    path("tools/segments.json", tools.segments_preview, name="segments_preview"),
    path("tools/throughput/", tools.throughput_tool, name="throughput_tool"),
    path("webhooks/", webhooks.webhook_endpoints, name="webhook_endpoints"),
    path("webhooks/<int:endpoint_id>/", webhooks.webhook_endpoint, name="webhook_endpoint"),
    path("webhooks/<int:endpoint_id>/enable/", webhooks.webhook_endpoint_enable, name="webhook_endpoint_enable"),
    path("webhooks/<int:endpoint_id>/disable/", webhooks.webhook_endpoint_disable, name="webhook_endpoint_disable"),
    path("webhooks/<int:endpoint_id>/test/", webhooks.webhook_endpoint_test, name="webhook_endpoint_test"),
    path("webhooks/<int:endpoint_id>/rotate/", webhooks.webhook_endpoint_rotate, name="webhook_endpoint_rotate"),
    path("webhooks/<int:endpoint_id>/delete/", webhooks.webhook_endpoint_delete, name="webhook_endpoint_delete"),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/", webhooks.webhook_delivery, name="webhook_delivery"
    ),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.webhook_delivery_redeliver,
        name="webhook_delivery_redeliver",
    ),
    path("", dashboard.dashboard, name="dashboard"),
]
