"""Tenant UI: messages. Compose a one-off message; the outbox, sent, failed, canceled and inbox lists with their
filters; a message's timeline, and canceling it while it has not left."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.errors import ServiceError
from config.forms import add_service_error
from messaging import selectors
from messaging.errors import MessagingError
from messaging.forms import MessageComposeForm, MessageFilterForm
from messaging.gateways.base import MAX_MEDIA_URLS
from messaging.models import Message
from messaging.services import messages as message_service
from tenants.decorators import permission_required

# message_send names a pool "pool" and each media URL "media_urls[i]"; the form has one field for each kind
COMPOSE_FIELDS = {"pool": "sender", **{f"media_urls[{index}]": "media_urls" for index in range(MAX_MEDIA_URLS)}}


@permission_required("logs.view")
def message_list(request, box: str):
    """One list, newest first, 50 a page; the filters and the page come in the query string."""
    listing = selectors.MESSAGE_BOXES[box]
    form = MessageFilterForm(request.GET or None, box=listing, default_country=request.tenant.default_country)
    context = {"box": listing, "form": form, "page": None}
    if form.is_bound and not form.is_valid():
        return render(request, "messaging/messages/list.html", context, status=400)
    cursor = form.cleaned_data if form.is_bound else {}
    context["page"] = selectors.messages_page(
        selectors.messages_in(listing, form.filters()), before=cursor.get("before"), after=cursor.get("after")
    )
    return render(request, "messaging/messages/list.html", context)


@permission_required("messages.send")
def message_compose(request):
    """The compose form; a message sent from it shows its timeline next."""
    form = MessageComposeForm(request.POST or None, time_zone=request.tenant.time_zone)
    if form.is_bound and form.is_valid():
        try:
            message = message_service.message_send(
                tenant=request.tenant, source=Message.Source.UI, **form.message_arguments()
            )
        except ServiceError as exc:  # messaging's refusals, and a compliance rule's block with every finding
            add_service_error(form, exc, aliases=COMPOSE_FIELDS)
        else:
            messages.success(request, f"Message to {message.to} {message.status}.")
            return redirect("ui:message", message_uuid=message.uuid)
    return render(request, "messaging/messages/compose.html", {"form": form}, status=400 if form.is_bound else 200)


@permission_required("logs.view")
def message_detail(request, message_uuid):
    """A message's timeline; another tenant's message is not found (it lives in another schema)."""
    message = get_object_or_404(selectors.messages(), uuid=message_uuid)
    links = selectors.tracked_links(owner_kind="message", owner_id=message.pk)
    context = {"timeline": selectors.message_timeline(message), "links": list(links)}
    return render(request, "messaging/messages/detail.html", context)


@require_POST
@permission_required("messages.send")
def message_cancel(request, message_uuid):
    """Cancel a message that has not left; once a worker has claimed it, say why it cannot be."""
    message = get_object_or_404(selectors.messages(), uuid=message_uuid)
    try:
        message_service.message_cancel(message=message, actor_label=request.user.email)
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Message canceled: it will not be sent.")
    return redirect("ui:message", message_uuid=message.uuid)
