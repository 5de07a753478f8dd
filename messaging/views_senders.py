"""Tenant UI: senders, their registration and pools."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from compliance.domain import registration
from messaging import services
from messaging.errors import MessagingError
from messaging.forms import PoolForm, SenderForm
from messaging.models import Sender, SenderPool
from tenants.decorators import permission_required


def _form_error(form, exc: MessagingError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@permission_required("dashboard.view")
def sender_list(request):
    senders = list(Sender.objects.all())
    for sender in senders:
        sender.next_states = sorted(registration.next_states(sender.kind, sender.registration_state))
        sender.verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    context = {
        "senders": senders,
        "pools": SenderPool.objects.prefetch_related("senders"),
        "sender_form": SenderForm(),
        "pool_form": PoolForm(),
    }
    return render(request, "messaging/senders.html", context)


@require_POST
@permission_required("senders.manage")
def sender_add(request):
    form = SenderForm(request.POST)
    if form.is_valid():
        try:
            sender = services.sender_register(**form.cleaned_data)
        except MessagingError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Sender {sender.address} added.")
            return redirect("ui:senders")
    context = {
        "senders": Sender.objects.all(),
        "pools": SenderPool.objects.all(),
        "sender_form": form,
        "pool_form": PoolForm(),
    }
    return render(request, "messaging/senders.html", context, status=400)


@require_POST
@permission_required("senders.manage")
def sender_registration(request, sender_id: int):
    sender = get_object_or_404(Sender, pk=sender_id)
    try:
        services.sender_registration_move(sender=sender, target=request.POST.get("state", ""))
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{sender.address}: registration is now {sender.registration_state}.")
    return redirect("ui:senders")


@require_POST
@permission_required("senders.manage")
def pool_add(request):
    form = PoolForm(request.POST)
    if form.is_valid():
        try:
            pool = services.pool_create(
                name=form.cleaned_data["name"],
                sender_ids=[s.pk for s in form.cleaned_data["senders"]],
                two_way=form.cleaned_data["two_way"],
            )
        except MessagingError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Pool {pool.name} created.")
            return redirect("ui:senders")
    context = {
        "senders": Sender.objects.all(),
        "pools": SenderPool.objects.all(),
        "sender_form": SenderForm(),
        "pool_form": form,
    }
    return render(request, "messaging/senders.html", context, status=400)
