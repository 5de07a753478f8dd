"""A campaign's results from the rollups: its figures per A/B variant, and each variant compared with the first (the
control) on delivery rate and, where the campaign tracks links, on click-through rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from messaging.domain.abtest import Comparison, Proportion, compare
from messaging.domain.insights import Figures
from messaging.insights import queries
from messaging.models import Campaign


@dataclass(frozen=True)
class VariantResult:
    label: str  # "" for a campaign without variants
    percent: int | None  # its share of the audience
    figures: Figures
    delivery: Comparison | None  # against the control; None for the control, or before both have outcomes
    click_through: Comparison | None


@dataclass(frozen=True)
class CampaignResults:
    campaign: Campaign
    control: str
    variants: list[VariantResult]
    total: Figures


def _delivery(figures: Figures) -> Proportion:
    return Proportion(figures.delivered, figures.finished)


def _click_through(figures: Figures) -> Proportion:
    # A recipient can click before the delivery receipt arrives: never more clickers than delivered messages.
    return Proportion(min(figures.clickers, figures.linked_delivered), figures.linked_delivered)


def _against(control: Proportion, variant: Proportion) -> Comparison | None:
    return compare(control, variant) if control.trials and variant.trials else None


def campaign_results(campaign: Campaign, *, now: datetime | None = None) -> CampaignResults:
    """Every message of the campaign so far (as of the last squash), per variant; clicks up to `now`."""
    now = now or timezone.now()
    start = campaign.created_at.replace(minute=0, second=0, microsecond=0)
    scope = queries.Scope(start=start, end=now + timedelta(hours=1), campaign_id=campaign.pk)
    found = dict(queries.breakdown(scope, by="variant"))
    shares = {variant.label: variant.percent for variant in campaign.variants.all()}
    labels = sorted(shares) or [""]
    figures = {label: found.pop(label, None) or Figures(clicks_counted=True) for label in labels}
    control = labels[0]
    rows = []
    for label in labels:
        own = figures[label]
        compared = label != control
        rows.append(
            VariantResult(
                label=label,
                percent=shares.get(label),
                figures=own,
                delivery=_against(_delivery(figures[control]), _delivery(own)) if compared else None,
                click_through=(
                    _against(_click_through(figures[control]), _click_through(own))
                    if compared and campaign.track_links
                    else None
                ),
            )
        )
    # The variants are disjoint parts of the campaign (and `found` keeps any label it no longer has).
    total = Figures.total([*figures.values(), *found.values()])
    return CampaignResults(campaign=campaign, control=control, variants=rows, total=total)
