"""Tenant UI: importing contacts from CSV. Upload → map the columns (the header and first rows shown, the mapping
guessed) → progress (polled by import-progress.js; without JavaScript the page refreshes itself) → the result with
the rejected rows and their download."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from messaging import selectors
from messaging.contact_forms import ImportMappingForm, ImportUploadForm, split_words
from messaging.errors import ImportFileTooLarge, MessagingError
from messaging.models import ImportJob
from messaging.services.contacts import imports
from messaging.services.contacts.exports import import_rejects_rows
from messaging.views.contacts import csv_download
from tenants.decorators import permission_required

RECENT_IMPORTS = 20
REJECTS_SHOWN = 100
UNFINISHED = {ImportJob.Status.PENDING, ImportJob.Status.RUNNING}


def _index(request, form: ImportUploadForm | None = None, *, status: int = 200):
    context = {
        "form": form or ImportUploadForm(),
        "jobs": [(job, selectors.import_progress(job)) for job in selectors.import_jobs()[:RECENT_IMPORTS]],
        "max_megabytes": settings.CONTACT_IMPORT_MAX_BYTES // 1_000_000,
    }
    return render(request, "messaging/contacts/imports.html", context, status=status)


@permission_required("contacts.manage")
def import_index(request):
    return _index(request)


@require_POST
@permission_required("contacts.manage")
def import_upload(request):
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = imports.import_upload(upload=form.cleaned_data["file"], created_by=request.user.email)
        except MessagingError as exc:
            add_service_error(form, exc)
            return _index(request, form, status=413 if isinstance(exc, ImportFileTooLarge) else 400)
        return redirect("ui:contact_import", import_id=job.pk)
    return _index(request, form, status=400)


def _mapping_form(job: ImportJob, data=None) -> ImportMappingForm:
    return ImportMappingForm(data, header=job.header, mapping=job.mapping)


def _page(request, job: ImportJob, form: ImportMappingForm | None = None, *, status: int = 200):
    samples = [[row[i] if i < len(row) else "" for row in job.preview] for i in range(len(job.header))]
    context = {
        "job": job,
        "progress": selectors.import_progress(job),
        "running": job.status in UNFINISHED,
        "form": form or (_mapping_form(job) if job.status == ImportJob.Status.DRAFT else None),
        "samples": samples,
        "rejections": selectors.import_rejections(job)[:REJECTS_SHOWN],
    }
    return render(request, "messaging/contacts/import.html", context, status=status)


@permission_required("contacts.manage")
def import_page(request, import_id: int):
    return _page(request, get_object_or_404(selectors.import_jobs(), pk=import_id))


@require_POST
@permission_required("contacts.manage")
def import_start(request, import_id: int):
    job = get_object_or_404(selectors.import_jobs(), pk=import_id)
    form = _mapping_form(job, request.POST)
    if not form.is_valid():
        return _page(request, job, form, status=400)
    try:
        imports.import_start(
            tenant=request.tenant,
            job=job,
            mapping=form.mapping(),
            contact_list=form.cleaned_data["contact_list"],
            tags=split_words(form.cleaned_data["tags"]),
            actor=request.user,
        )
    except MessagingError as exc:
        column = (exc.field or "").removeprefix("mapping.")
        add_service_error(form, exc, aliases={exc.field: form.field_of(column) or ""})
        return _page(request, job, form, status=400)
    return redirect("ui:contact_import", import_id=job.pk)


@require_POST
@permission_required("contacts.manage")
def import_cancel(request, import_id: int):
    job = get_object_or_404(selectors.import_jobs(), pk=import_id)
    try:
        imports.import_cancel(tenant=request.tenant, job=job, actor=request.user)
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Import canceled; the rows it had imported stay.")
    return redirect("ui:contact_import", import_id=job.pk)


@permission_required("contacts.manage")
def import_progress(request, import_id: int):
    job = get_object_or_404(selectors.import_jobs(), pk=import_id)
    return JsonResponse({
        "status": job.status, "progress": selectors.import_progress(job), "total_rows": job.total_rows,
        "imported": job.imported, "updated": job.updated, "rejected": job.rejected,
        "finished": job.status not in UNFINISHED,
    })  # fmt: skip


@permission_required("contacts.manage")
def import_rejects(request, import_id: int):
    job = get_object_or_404(selectors.import_jobs(), pk=import_id)
    return csv_download(import_rejects_rows(job), f"import-{job.pk}-rejected-rows.csv")
