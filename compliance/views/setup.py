"""Tenant UI: keywords and their replies, and the compliance settings (sending window, countries, revocation
handling, exemptions)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from compliance.domain import keywords as kw
from compliance.errors import ComplianceError
from compliance.forms import KeywordForm, ReplyForm, SettingsForm
from compliance.models import Keyword, ReplyText
from compliance.services import keywords as keyword_services
from compliance.services.settings import settings_get, settings_update
from config.forms import add_service_error
from tenants.decorators import permission_required


def _keywords_page(request, *, keyword_form=None, reply_form=None, status: int = 200):
    settings = settings_get(tenant=request.tenant)
    removed = set(settings.removed_keywords)
    defaults = [(k, k.word in removed, k.word in kw.REQUIRED) for k in kw.default_keywords()]
    replies = {(r.kind, r.language): r.text for r in ReplyText.objects.all()}
    context = {
        "defaults": defaults,
        "own": Keyword.objects.all(),
        "replies": sorted(replies.items()),
        "default_replies": [
            (kind.value, text.format(name=request.tenant.name))
            for kind, text in keyword_services.DEFAULT_REPLIES.items()
        ],
        "keyword_form": keyword_form or KeywordForm(),
        "reply_form": reply_form or ReplyForm(),
    }
    return render(request, "compliance/keywords.html", context, status=status)


@permission_required("compliance.view")
def keyword_list(request):
    return _keywords_page(request)


@require_POST
@permission_required("compliance.manage")
def keyword_add(request):
    form = KeywordForm(request.POST)
    if form.is_valid():
        try:
            keyword = keyword_services.keyword_add(
                tenant=request.tenant, actor=request.user, actor_label=request.user.email, **form.cleaned_data
            )
        except ComplianceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{keyword.word} added.")
            return redirect("ui:compliance_keywords")
    return _keywords_page(request, keyword_form=form, status=400)


def _keyword_change(request, word: str, change, done: str):
    try:
        change(tenant=request.tenant, word=word, actor=request.user, actor_label=request.user.email)
    except ComplianceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{word.upper()} {done}.")
    return redirect("ui:compliance_keywords")


@require_POST
@permission_required("compliance.manage")
def keyword_remove(request, word: str):
    return _keyword_change(request, word, keyword_services.keyword_remove, "removed")


@require_POST
@permission_required("compliance.manage")
def keyword_restore(request, word: str):
    return _keyword_change(request, word, keyword_services.keyword_restore, "restored")


@require_POST
@permission_required("compliance.manage")
def reply_set(request):
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            keyword_services.reply_text_set(
                tenant=request.tenant, actor=request.user, actor_label=request.user.email, **form.cleaned_data
            )
        except ComplianceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Reply saved.")
            return redirect("ui:compliance_keywords")
    return _keywords_page(request, reply_form=form, status=400)


@permission_required("compliance.view")
def settings_page(request):
    settings = settings_get(tenant=request.tenant)
    return render(request, "compliance/settings.html", {"form": SettingsForm.of(settings), "settings": settings})


@require_POST
@permission_required("compliance.manage")
def settings_save(request):
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            settings_update(tenant=request.tenant, actor=request.user, actor_label=request.user.email, **form.changes())
        except ComplianceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Compliance settings saved.")
            return redirect("ui:compliance_settings")
    settings = settings_get(tenant=request.tenant)
    return render(request, "compliance/settings.html", {"form": form, "settings": settings}, status=400)
