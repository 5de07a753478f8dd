"""Tenant UI: contact lists, each with its members' count; create, rename and delete them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from messaging import selectors
from messaging.contact_forms import ContactListForm
from messaging.errors import MessagingError
from messaging.services.contacts import lists as list_services
from tenants.decorators import permission_required


def _index(request, form: ContactListForm | None = None, *, status: int = 200):
    context = {"lists": selectors.contact_lists(), "form": form or ContactListForm()}
    return render(request, "messaging/contacts/lists.html", context, status=status)


@permission_required("contacts.manage")
def list_index(request):
    return _index(request)


@require_POST
@permission_required("contacts.manage")
def list_add(request):
    form = ContactListForm(request.POST)
    if form.is_valid():
        try:
            created = list_services.contact_list_create(**form.cleaned_data)
        except MessagingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"List {created.name} created.")
            return redirect("ui:contact_lists")
    return _index(request, form, status=400)


@permission_required("contacts.manage")
def list_detail(request, list_id: int):
    contact_list = get_object_or_404(selectors.contact_lists(), pk=list_id)
    initial = {"name": contact_list.name, "description": contact_list.description}
    form = ContactListForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                list_services.contact_list_update(contact_list=contact_list, **form.cleaned_data)
            except MessagingError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "List saved.")
                return redirect("ui:contact_list", list_id=contact_list.pk)
    context = {"contact_list": contact_list, "form": form}
    return render(request, "messaging/contacts/list_detail.html", context, status=status)


@require_POST
@permission_required("contacts.manage")
def list_delete(request, list_id: int):
    contact_list = get_object_or_404(selectors.contact_lists(), pk=list_id)
    list_services.contact_list_delete(tenant=request.tenant, contact_list=contact_list, actor=request.user)
    messages.success(request, f"List {contact_list.name} deleted; its contacts stay.")
    return redirect("ui:contact_lists")
