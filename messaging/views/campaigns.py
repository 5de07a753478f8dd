"""Tenant UI: campaigns listed; the composer; a campaign's page (its audience preview, preflight report and, once
launched, live progress polled by campaign-progress.js, or a meta refresh without JavaScript, and its results per
A/B variant); its actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from messaging import selectors
from messaging.api.campaigns import progress_data
from messaging.campaign_forms import CampaignForm
from messaging.errors import MessagingError
from messaging.insights import report
from messaging.insights.campaigns import campaign_results
from messaging.models import Campaign
from messaging.services.campaigns import drafts, lifecycle
from messaging.services.campaigns.content import audience_preview
from messaging.services.campaigns.preflight import campaign_preflight
from tenants.decorators import permission_required

ALIASES = {"list_ids": "lists", "exclude_list_ids": "exclude_lists", "pool": "sender", "variants": "split"}
LIVE = (Campaign.State.SCHEDULED, Campaign.State.RUNNING, Campaign.State.PAUSED)


def _campaign(campaign_id: int) -> Campaign:
    return get_object_or_404(selectors.campaigns(), pk=campaign_id)


@permission_required("campaigns.manage")
def campaign_list(request):
    return render(request, "messaging/campaigns/list.html", {"campaigns": selectors.campaigns()[:200]})


@permission_required("campaigns.manage")
def campaign_new(request):
    form = CampaignForm(request.POST or None, time_zone=request.tenant.time_zone)
    if form.is_bound and form.is_valid():
        try:
            campaign = drafts.campaign_create(tenant=request.tenant, fields=form.campaign_fields(), actor=request.user)
        except MessagingError as exc:
            add_service_error(form, exc, aliases=ALIASES)
        else:
            messages.success(request, f"Draft {campaign.name} saved: preview its audience and run the preflight.")
            return redirect("ui:campaign", campaign_id=campaign.pk)
    status = 400 if form.is_bound else 200
    return render(request, "messaging/campaigns/compose.html", {"form": form, "campaign": None}, status=status)


@permission_required("campaigns.manage")
def campaign_edit(request, campaign_id: int):
    campaign = _campaign(campaign_id)
    if campaign.state != Campaign.State.DRAFT:
        messages.error(request, "Only a draft can be changed.")
        return redirect("ui:campaign", campaign_id=campaign.pk)
    initial = CampaignForm.initial_of(campaign, request.tenant.time_zone)
    form = CampaignForm(request.POST or None, initial=initial, time_zone=request.tenant.time_zone)
    if form.is_bound and form.is_valid():
        try:
            drafts.campaign_update(campaign=campaign, fields=form.campaign_fields())
        except MessagingError as exc:
            add_service_error(form, exc, aliases=ALIASES)
        else:
            messages.success(request, "Draft saved; run the preflight again before launching.")
            return redirect("ui:campaign", campaign_id=campaign.pk)
    status = 400 if form.is_bound else 200
    return render(request, "messaging/campaigns/compose.html", {"form": form, "campaign": campaign}, status=status)


@permission_required("campaigns.manage")
def campaign_page(request, campaign_id: int):
    campaign = _campaign(campaign_id)
    context = {"campaign": campaign, "live": campaign.state in LIVE}
    if campaign.state == Campaign.State.DRAFT:
        context["preview"] = audience_preview(campaign)
    else:
        context["progress"] = selectors.campaign_progress(campaign)
        context["results"] = _results_rows(campaign_results(campaign))
    return render(request, "messaging/campaigns/detail.html", context)


def _results_rows(results) -> list[dict]:
    """Each variant's figures, and its comparisons with the control in words."""
    return [
        {
            "label": row.label,
            "figures": row.figures,
            "delivery": report.comparison_verdict(row.delivery, label=row.label, control=results.control),
            "click_through": report.comparison_verdict(row.click_through, label=row.label, control=results.control),
        }
        for row in results.variants
    ]


@permission_required("campaigns.manage")
def campaign_preflight_page(request, campaign_id: int):
    campaign = _campaign(campaign_id)
    if request.method == "POST":
        try:
            campaign_preflight(tenant=request.tenant, campaign=campaign, actor_label=request.user.email)
        except MessagingError as exc:
            messages.error(request, exc.message)
        return redirect("ui:campaign_preflight", campaign_id=campaign.pk)
    return render(request, "messaging/campaigns/preflight.html", {"campaign": campaign, "report": campaign.preflight})


@permission_required("campaigns.manage")
def campaign_progress_json(request, campaign_id: int):
    data = progress_data(_campaign(campaign_id))
    finish = data["estimated_finish"]
    return JsonResponse({**data, "estimated_finish": finish.isoformat() if finish else None})


def _action(service, done: str):
    @require_POST
    @permission_required("campaigns.manage")
    def view(request, campaign_id: int):
        campaign = _campaign(campaign_id)
        try:
            service(tenant=request.tenant, campaign=campaign, actor=request.user)
        except MessagingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("ui:campaign", campaign_id=campaign.pk)

    return view


campaign_launch = _action(lifecycle.campaign_launch, "Campaign launched.")
campaign_pause = _action(lifecycle.campaign_pause, "Campaign paused: what had not left is held.")
campaign_resume = _action(lifecycle.campaign_resume, "Campaign resumed.")
campaign_cancel = _action(lifecycle.campaign_cancel, "Campaign canceled: what had not left never will.")


@require_POST
@permission_required("campaigns.manage")
def campaign_delete(request, campaign_id: int):
    campaign = _campaign(campaign_id)
    try:
        drafts.campaign_delete(tenant=request.tenant, campaign=campaign, actor=request.user)
    except MessagingError as exc:
        messages.error(request, exc.message)
        return redirect("ui:campaign", campaign_id=campaign.pk)
    messages.success(request, f"Draft {campaign.name} deleted.")
    return redirect("ui:campaigns")
