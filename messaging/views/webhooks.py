"""Tenant UI: webhook endpoints (added with their secret shown once, changed, enabled or disabled, their secret
rotated, a test event sent) and each endpoint's deliveries with every attempt and answer, redelivered on request."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from messaging.errors import MessagingError
from messaging.forms import WebhookEndpointForm, WebhookSecretRotateForm
from messaging.models import WebhookDelivery, WebhookEndpoint
from messaging.outbound_webhooks import endpoints as services
from messaging.outbound_webhooks import selectors
from tenants.audit import client_ip
from tenants.decorators import permission_required

DELIVERIES_PER_PAGE = 50


def _who(request) -> dict:
    return {"tenant": request.tenant, "actor": request.user, "ip_address": client_ip(request)}


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(selectors.webhook_endpoints(), pk=endpoint_id)


@permission_required("webhooks.manage")
def webhook_endpoints(request):
    """The endpoints, and a form to add one; the new endpoint's secret is shown on the answer to that form only."""
    form = WebhookEndpointForm(request.POST or None)
    created = secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, secret = services.webhook_endpoint_create(**form.cleaned_data, **_who(request))
            except MessagingError as exc:
                add_service_error(form, exc)
            else:
                form = WebhookEndpointForm()
        status = 200 if created else 400
    context = {"endpoints": selectors.webhook_endpoints(), "form": form, "created": created, "secret": secret}
    return render(request, "messaging/webhooks/endpoints.html", context, status=status)


def _endpoint_page(request, endpoint: WebhookEndpoint, *, status: int = 200, **extra):
    deliveries = selectors.webhook_deliveries_with_attempts(endpoint)
    shown_status = request.GET.get("status", "")
    if shown_status in WebhookDelivery.Status.values:
        deliveries = deliveries.filter(status=shown_status)
    before = request.GET.get("before", "")
    if before.isdigit():
        deliveries = deliveries.filter(pk__lt=int(before))
    page = list(deliveries[: DELIVERIES_PER_PAGE + 1])
    context = {
        "endpoint": endpoint,
        "deliveries": page[:DELIVERIES_PER_PAGE],
        "older": page[DELIVERIES_PER_PAGE - 1].pk if len(page) > DELIVERIES_PER_PAGE else None,
        "statuses": WebhookDelivery.Status.choices,
        "shown_status": shown_status,
        "form": extra.pop("form", None)
        or WebhookEndpointForm(initial={f: getattr(endpoint, f) for f in ("url", "description", "event_types")}),
        "rotate_form": WebhookSecretRotateForm(grace_hours=settings.WEBHOOK_SECRET_GRACE_HOURS),
        **extra,
    }
    return render(request, "messaging/webhooks/endpoint.html", context, status=status)


@permission_required("webhooks.manage")
def webhook_endpoint(request, endpoint_id: int):
    """An endpoint: its settings (changed by POST) and its deliveries, newest first, filtered by status."""
    endpoint = _endpoint(endpoint_id)
    if request.method != "POST":
        return _endpoint_page(request, endpoint)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            services.webhook_endpoint_update(endpoint=endpoint, **form.cleaned_data, **_who(request))
        except MessagingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("ui:webhook_endpoint", endpoint_id=endpoint.pk)
    return _endpoint_page(request, _endpoint(endpoint_id), form=form, status=400)


def _act(request, endpoint_id: int, action, success: str):
    endpoint = _endpoint(endpoint_id)
    try:
        action(endpoint)
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("ui:webhook_endpoint", endpoint_id=endpoint.pk)


@require_POST
@permission_required("webhooks.manage")
def webhook_endpoint_enable(request, endpoint_id: int):
    return _act(
        request,
        endpoint_id,
        lambda endpoint: services.webhook_endpoint_enable(endpoint=endpoint, **_who(request)),
        "Endpoint enabled: new events are sent to it again.",
    )


@require_POST
@permission_required("webhooks.manage")
def webhook_endpoint_disable(request, endpoint_id: int):
    reason = f"disabled by {request.user.email}"
    return _act(
        request,
        endpoint_id,
        lambda endpoint: services.webhook_endpoint_disable(endpoint=endpoint, reason=reason, **_who(request)),
        "Endpoint disabled: events waiting for it were given up, and no new ones are sent.",
    )


@require_POST
@permission_required("webhooks.manage")
def webhook_endpoint_test(request, endpoint_id: int):
    return _act(
        request,
        endpoint_id,
        lambda endpoint: services.webhook_endpoint_test(endpoint=endpoint, **_who(request)),
        "Test event sent; its answer appears in the deliveries below.",
    )


@require_POST
@permission_required("webhooks.manage")
def webhook_endpoint_rotate(request, endpoint_id: int):
    """A new secret, shown on this answer only."""
    endpoint = _endpoint(endpoint_id)
    form = WebhookSecretRotateForm(request.POST, grace_hours=settings.WEBHOOK_SECRET_GRACE_HOURS)
    if not form.is_valid():
        messages.error(request, "Choose what happens to the current secret.")
        return redirect("ui:webhook_endpoint", endpoint_id=endpoint.pk)
    endpoint, secret = services.webhook_endpoint_secret_rotate(
        endpoint=endpoint, grace_hours=form.cleaned_data["grace_hours"], **_who(request)
    )
    return _endpoint_page(request, endpoint, secret=secret)


@require_POST
@permission_required("webhooks.manage")
def webhook_endpoint_delete(request, endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    services.webhook_endpoint_delete(endpoint=endpoint, **_who(request))
    messages.success(request, f"Endpoint {endpoint.url} deleted with its deliveries.")
    return redirect("ui:webhook_endpoints")


def _delivery(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(selectors.webhook_deliveries(endpoint), pk=delivery_id)


@permission_required("webhooks.manage")
def webhook_delivery(request, endpoint_id: int, delivery_id: int):
    """One delivery: the body as sent and every attempt with its answer."""
    endpoint = _endpoint(endpoint_id)
    delivery = _delivery(endpoint, delivery_id)
    context = {"endpoint": endpoint, "delivery": delivery, "attempts": selectors.webhook_attempts(delivery)}
    return render(request, "messaging/webhooks/delivery.html", context)


@require_POST
@permission_required("webhooks.manage")
def webhook_delivery_redeliver(request, endpoint_id: int, delivery_id: int):
    endpoint = _endpoint(endpoint_id)
    delivery = _delivery(endpoint, delivery_id)
    try:
        again = services.webhook_delivery_redeliver(delivery=delivery, **_who(request))
    except MessagingError as exc:
        messages.error(request, exc.message)
        return redirect("ui:webhook_delivery", endpoint_id=endpoint.pk, delivery_id=delivery.pk)
    messages.success(request, f"Event {delivery.event_id} sent again.")
    return redirect("ui:webhook_delivery", endpoint_id=endpoint.pk, delivery_id=again.pk)
