"""Tenant UI: contacts (searched, filtered, paged, acted on in bulk), one contact's page, and the CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from messaging import selectors
from messaging.contact_forms import BulkActionForm, ContactFilterForm, ContactForm
from messaging.domain.contact_csv import csv_lines
from messaging.errors import MessagingError
from messaging.services.contacts import lists as list_services
from messaging.services.contacts import records
from messaging.services.contacts.exports import contacts_export
from messaging.services.contacts.phones import number_time_zone
from tenants.decorators import permission_required

PAGE_SIZE = 50


def show_service_error(form, exc: MessagingError) -> None:
    """A refusal under its field: 'attributes.plan' under attributes, 'list_ids' under lists."""
    field = (exc.field or "").split(".")[0]
    add_service_error(form, exc, aliases={exc.field: {"list_ids": "lists"}.get(field, field)})


def _list_page(request, *, add_form: ContactForm | None = None, bulk_form: BulkActionForm | None = None, status=200):
    filters = ContactFilterForm(request.GET or None)
    page = Paginator(selectors.contacts_matching(**filters.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "add_form": add_form or ContactForm(),
        "bulk_form": bulk_form or BulkActionForm(),
    }
    return render(request, "messaging/contacts/list.html", context, status=status)


@permission_required("contacts.manage")
def contact_list(request):
    return _list_page(request)


@require_POST
@permission_required("contacts.manage")
def contact_add(request):
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = records.contact_create(**form.service_arguments())
        except MessagingError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, f"Contact {contact.phone_number} added.")
            return redirect("ui:contact", contact_id=contact.pk)
    return _list_page(request, add_form=form, status=400)


def _bulk(request, data) -> str:
    ids, action = data["contact"], data["action"]
    if action == "delete":
        count = records.contacts_delete(tenant=request.tenant, contact_ids=ids, actor=request.user)
        return f"{count} contact{'s' * (count != 1)} deleted."
    if action in ("tag", "untag"):
        act = records.contacts_tag if action == "tag" else records.contacts_untag
        count = act(contact_ids=ids, tags=[data["tag"]])
        return f"Tag {data['tag'].strip()!r} {'added to' if action == 'tag' else 'taken off'} {count} contacts."
    contact_list = data["contact_list"]
    if action == "add_to_list":
        ids = list(selectors.contacts_matching().filter(pk__in=ids).values_list("pk", flat=True))
        count = list_services.contact_list_add(contact_list=contact_list, contact_ids=ids)
        return f"{count} contacts added to {contact_list.name}."
    count = list_services.contact_list_remove(contact_list=contact_list, contact_ids=ids)
    return f"{count} contacts taken off {contact_list.name}."


@require_POST
@permission_required("contacts.manage")
def contacts_bulk(request):
    form = BulkActionForm(request.POST)
    if form.is_valid():
        try:
            messages.success(request, _bulk(request, form.cleaned_data))
        except MessagingError as exc:
            messages.error(request, exc.message)
        return redirect(f"{reverse('ui:contacts')}?{request.GET.urlencode()}")
    return _list_page(request, bulk_form=form, status=400)


@permission_required("contacts.manage")
def contact_detail(request, contact_id: int):
    contact = get_object_or_404(selectors.contacts_matching(), pk=contact_id)
    form = ContactForm(request.POST or None, contact=contact)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                records.contact_update(contact=contact, **form.service_arguments())
            except MessagingError as exc:
                show_service_error(form, exc)
                contact.refresh_from_db()
            else:
                messages.success(request, "Contact saved.")
                return redirect("ui:contact", contact_id=contact.pk)
    context = {
        "contact": contact,
        "form": form,
        "local_time_zone": contact.time_zone or number_time_zone(contact.phone_number),
    }
    return render(request, "messaging/contacts/detail.html", context, status=status)


@require_POST
@permission_required("contacts.manage")
def contact_delete(request, contact_id: int):
    contact = get_object_or_404(selectors.contacts_matching(), pk=contact_id)
    records.contact_delete(tenant=request.tenant, contact=contact, actor=request.user)
    messages.success(request, f"Contact {contact.phone_number} deleted.")
    return redirect("ui:contacts")


def csv_download(rows, filename: str) -> StreamingHttpResponse:
    """A CSV file streamed row by row, formula-safe (see `csv_lines`)."""
    response = StreamingHttpResponse(
        (line.encode() for line in csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("contacts.manage")
def contacts_export_csv(request):
    chosen = ContactFilterForm(request.GET or None).filters()
    contacts = selectors.contacts_matching(**chosen)
    rows = contacts_export(tenant=request.tenant, contacts=contacts, actor=request.user, filters=chosen)
    return csv_download(rows, f"contacts-{timezone.localdate().isoformat()}.csv")
