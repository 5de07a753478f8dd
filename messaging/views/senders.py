"""Tenant UI: senders, their registration and pools."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from compliance.domain.registration import Mover
from config.errors import ServiceError
from config.forms import add_service_error
from messaging import selectors
from messaging.errors import MessagingError
from messaging.forms import NumberBuyForm, PoolForm, SenderForm, TestSendForm
from messaging.services import messages as message_service
from messaging.services import numbers
from messaging.services.senders import pool_create, sender_register, sender_registration_move
from tenants.audit import client_ip
from tenants.decorators import permission_required


def _page(request, *, status: int = 200, **forms):
    """The senders page, with any form that failed kept as the user filled it in."""
    senders = selectors.senders_with_registration(by=Mover.TENANT)
    context = {
        "senders": senders,
        "pools": selectors.pools(),
        "sender_form": forms.get("sender_form") or SenderForm(),
        "pool_form": forms.get("pool_form") or PoolForm(),
        "buy_form": forms.get("buy_form") or NumberBuyForm(),
        "test_form": forms.get("test_form") or TestSendForm(),
    }
    return render(request, "messaging/senders.html", context, status=status)


def _form_action(request, form_class, form_key: str, action, success, then=lambda result: redirect("ui:senders")):
    """Validate a senders-page form, run `action(cleaned_data)`; on success flash `success(result)` and answer
    `then(result)` (back to the page), else show the page again with the form as typed and the refusal under its
    field."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except ServiceError as exc:  # messaging's refusals, and a compliance rule's block of a test send
            add_service_error(form, exc)
        else:
            messages.success(request, success(result))
            return then(result)
    return _page(request, status=400, **{form_key: form})


@permission_required("dashboard.view")
def sender_list(request):
    return _page(request)


@require_POST
@permission_required("senders.manage")
def sender_add(request):
    return _form_action(
        request,
        SenderForm,
        "sender_form",
        lambda data: sender_register(**data),
        lambda sender: f"Sender {sender.address} added.",
    )


@require_POST
@permission_required("senders.manage")
def sender_registration(request, sender_id: int):
    sender = get_object_or_404(selectors.senders(), pk=sender_id)
    try:
        sender_registration_move(
            tenant=request.tenant,
            sender=sender,
            target=request.POST.get("state", ""),
            by=Mover.TENANT,
            actor=request.user,
            ip_address=client_ip(request),
        )
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{sender.address}: registration is now {sender.registration_state}.")
    return redirect("ui:senders")


@require_POST
@permission_required("senders.manage")
def pool_add(request):
    def create(data):
        return pool_create(name=data["name"], sender_ids=[s.pk for s in data["senders"]], two_way=data["two_way"])

    return _form_action(request, PoolForm, "pool_form", create, lambda pool: f"Pool {pool.name} created.")


@require_POST
@permission_required("senders.manage")
def senders_sync(request):
    try:
        report = numbers.senders_sync(tenant=request.tenant)
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        text = f"Synced from Twilio: {len(report.added)} added, {len(report.updated)} already here"
        if report.missing:
            text += f"; no longer in the subaccount: {', '.join(report.missing)}"
        messages.success(request, text + ".")
    return redirect("ui:senders")


@require_POST
@permission_required("senders.manage")
def number_buy(request):
    return _form_action(
        request,
        NumberBuyForm,
        "buy_form",
        lambda data: numbers.number_obtain(tenant=request.tenant, **data),
        lambda sender: f"Number {sender.address} bought and added as a {sender.get_kind_display()}.",
    )


@require_POST
@permission_required("messages.send")
def sender_test_send(request):
    return _form_action(
        request,
        TestSendForm,
        "test_form",
        lambda data: message_service.sender_test_send(tenant=request.tenant, **data),
        lambda message: f"Test message to {message.to} queued from {message.from_address}.",
        then=lambda message: redirect("ui:message", message_uuid=message.uuid),
    )
