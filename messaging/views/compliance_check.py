"""Tenant UI: the rule-check form — every finding the pre-send rules make of one prospective message, from one of
the tenant's senders or pools, without sending or storing anything."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone

from compliance.domain.rules import SENDABLE_CATEGORIES, rule_book
from config.errors import ServiceError
from config.forms import add_service_error
from messaging import selectors
from messaging.services import rules
from tenants.decorators import permission_required


class CheckForm(forms.Form):
    to = forms.CharField(max_length=32, help_text="E.164, or a number of your country")
    body = forms.CharField(required=False, max_length=16_000, widget=forms.Textarea(attrs={"rows": 4}), strip=False)
    sender = forms.ModelChoiceField(queryset=None, required=False, empty_label="—")
    pool = forms.ModelChoiceField(queryset=None, required=False, empty_label="—", help_text="Or a pool")
    category = forms.ChoiceField(choices=[(c.value, c.value.capitalize()) for c in SENDABLE_CATEGORIES])
    send_at = forms.DateTimeField(required=False, help_text="When it would leave (YYYY-MM-DD HH:MM, UTC); default now")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = selectors.senders()
        self.fields["pool"].queryset = selectors.pools()


@permission_required("compliance.view")
def compliance_check(request):
    form, result = CheckForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        data, now = form.cleaned_data, timezone.now()
        try:
            to, sender, verdict = rules.preview(
                tenant=request.tenant,
                to=data["to"],
                body=data["body"],
                category=data["category"],
                sender=data["sender"],
                pool=data["pool"],
                now=max(data["send_at"] or now, now),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            result = {"to": to, "sender": sender, "verdict": verdict}
    status = 400 if form.errors else 200
    context = {"form": form, "result": result, "rules": rule_book()}
    return render(request, "compliance/check.html", context, status=status)
