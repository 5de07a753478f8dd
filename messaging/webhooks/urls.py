"""Twilio's webhooks under /webhooks/ on the platform host (included by `config/urls_public.py`)."""

from django.urls import path

from messaging.webhooks import views

urlpatterns = [
    path("twilio/status/<uuid:message_uuid>", views.status_callback, name="twilio_status"),
    path("twilio/inbound", views.inbound, name="twilio_inbound"),
    path("twilio/debugger", views.debugger_event, name="twilio_debugger"),
    path("twilio/inbound/fallback", views.inbound_fallback, name="twilio_inbound_fallback"),
]
