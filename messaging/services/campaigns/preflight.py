"""The preflight: every recipient planned as the fan-out would plan it, counted, and stored with the campaign.

Per compliance rule, how many recipients it blocks, defers or warns about, with sample numbers; per variant, its
recipients, segments, how many bodies turn UCS-2 and which attributes are missing (with samples); the estimated
segments, cost and time to drain at the senders' pace; whether the senders' queues would overflow if Twilio held the
whole send. Findings of severity `block` prevent the launch. The report records what was checked (a digest of the
campaign's content, audience and schedule), when and by whom; any change to the draft clears it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from compliance.domain import registration
from compliance.services.checks import Summary
from messaging.domain.segments import UCS2
from messaging.domain.throughput import ThroughputInput, calculate_throughput
from messaging.errors import CampaignNotEditable
from messaging.models import Campaign, CampaignVariant
from messaging.services.campaigns.expansion import Planner, audience_rows
from tenants.models import Tenant

CHUNK: Final = 2_000
SAMPLES: Final = 5


def campaign_digest(campaign: Campaign) -> str:
    """A digest of everything the preflight depends on: a launch needs a report of the same digest."""
    variants = list(CampaignVariant.objects.filter(campaign=campaign).order_by("label").values_list("body", "percent"))
    facts = [
        campaign.category, campaign.body, variants, campaign.media_urls, campaign.sender_id, campaign.pool_id,
        campaign.list_ids, campaign.tags, campaign.attribute_filters, campaign.exclude_list_ids, campaign.exclude_tags,
        campaign.schedule, campaign.send_at and campaign.send_at.isoformat(),
        campaign.local_date, campaign.local_time, campaign.validity_period, campaign.track_links,
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


@dataclass
class _VariantCount:
    label: str
    recipients: int = 0
    segments: int = 0
    segments_min: int | None = None
    segments_max: int = 0
    ucs2: int = 0
    ucs2_samples: list[str] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    missing_samples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, to: str, encoding: str, segments: int, missing: tuple[str, ...]) -> None:
        self.recipients += 1
        self.segments += segments
        self.segments_min = segments if self.segments_min is None else min(self.segments_min, segments)
        self.segments_max = max(self.segments_max, segments)
        if encoding == UCS2:
            self.ucs2 += 1
            if len(self.ucs2_samples) < SAMPLES:
                self.ucs2_samples.append(to)
        for path in missing:
            self.missing[path] = self.missing.get(path, 0) + 1
            samples = self.missing_samples.setdefault(path, [])
            if len(samples) < SAMPLES:
                samples.append(to)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label, "recipients": self.recipients, "segments": self.segments,
            "segments_min": self.segments_min or 0, "segments_max": self.segments_max,
            "ucs2_recipients": self.ucs2, "ucs2_samples": self.ucs2_samples,
            "missing_attributes": [
                {"path": p, "recipients": n, "samples": self.missing_samples[p]}
                for p, n in sorted(self.missing.items())
            ],
        }  # fmt: skip


def _finding(code: str, severity: str, message: str) -> dict[str, str]:
    return {"code": code, "severity": severity, "message": message}


def campaign_preflight(
    *, tenant: Tenant, campaign: Campaign, actor_label: str = "", now: datetime | None = None
) -> Campaign:
    """Check a draft against its whole audience and store the report on it (who, when, what); returns it."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_related("sender", "pool").get(pk=campaign.pk)
    if campaign.state != Campaign.State.DRAFT:
        raise CampaignNotEditable(f"campaign {campaign.pk} is {campaign.state}: only a draft is checked before launch")
    findings = _setup_findings(campaign)
    summary, variants, recipients = Summary(), {}, 0
    sender_ready = not any(f["code"] in ("no_sender", "empty_pool") for f in findings)
    if sender_ready:
        planner = Planner(tenant=tenant, campaign=campaign, now=now, pick_pool_senders=False)
        variants = {v.label: _VariantCount(v.label or "-") for v in planner.versions}
        after = 0
        while True:
            rows = list(audience_rows(campaign, after=after, limit=CHUNK))
            if not rows:
                break
            for planned in planner.plan(rows):
                recipients += 1
                summary.add(planned.to, planned.verdict, samples=SAMPLES)
                if not planned.verdict.blocked:
                    variants[planned.version.label].add(planned.to, planned.encoding, planned.segments, planned.missing)
            after = rows[-1][0]
    else:
        recipients = _count(campaign)
    report = _report(campaign, summary, list(variants.values()), recipients, findings, now, actor_label)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.state != Campaign.State.DRAFT:
            raise CampaignNotEditable(f"campaign {campaign.pk} is {locked.state}: only a draft is checked")
        locked.preflight, locked.preflight_at, locked.preflight_by = report, now, actor_label
        locked.preflight_digest = report["digest"]
        locked.save(update_fields=["preflight", "preflight_at", "preflight_by", "preflight_digest", "updated_at"])
    return locked


def _count(campaign: Campaign) -> int:
    from messaging.services.campaigns.audience import audience

    return audience(campaign).count()


def _setup_findings(campaign: Campaign) -> list[dict[str, str]]:
    findings = []
    if campaign.sender_id is None and campaign.pool_id is None:
        findings.append(_finding("no_sender", "block", "choose a sender or a pool to send from"))
    elif campaign.pool_id is not None and not campaign.pool.senders.exists():
        findings.append(_finding("empty_pool", "block", f"pool {campaign.pool.name} has no senders"))
    elif campaign.sender_id is not None:
        verdict = registration.sending_verdict(campaign.sender.kind, campaign.sender.registration_state)
        if not verdict.allowed:
            findings.append(_finding("sender_not_registered", "block", f"{campaign.sender.address}: {verdict.reason}"))
    has_variants = CampaignVariant.objects.filter(campaign=campaign).exists()
    if not has_variants and not campaign.body.strip() and not campaign.media_urls:
        findings.append(_finding("no_body", "block", "write a body (or give media URLs)"))
    if not (campaign.list_ids or campaign.tags or campaign.attribute_filters):
        findings.append(_finding("no_audience", "block", "choose lists, tags or attribute filters for the audience"))
    if campaign.schedule == Campaign.Schedule.AT and campaign.send_at and campaign.send_at <= timezone.now():
        findings.append(_finding("send_at_passed", "warn", "send_at has passed: the campaign leaves when launched"))
    return findings


def _mps(campaign: Campaign) -> Decimal:
    if campaign.sender_id is not None:
        return campaign.sender.mps
    if campaign.pool_id is not None:
        return sum((s.mps for s in campaign.pool.senders.all()), Decimal(0))
    return Decimal(0)


def _report(campaign, summary: Summary, variants, recipients: int, findings, now, actor_label) -> dict[str, Any]:
    sendable = summary.recipients - summary.blocked
    segments = sum(v.segments for v in variants)
    if summary.recipients and not sendable:
        findings.append(_finding("all_blocked", "block", "the compliance rules block every recipient"))
    elif recipients == 0 and not any(f["code"] == "no_audience" for f in findings):
        findings.append(_finding("empty_audience", "block", "the audience has no contacts"))
    for v in variants:
        if v.ucs2:
            findings.append(_finding("ucs2", "warn", f"variant {v.label}: {v.ucs2:,} bodies are UCS-2 (70 a segment)"))
        for path, count in sorted(v.missing.items()):
            message = f"variant {v.label}: {count:,} recipients have no {path} (it is left blank)"
            findings.append(_finding("missing_attribute", "warn", message))
    estimate = _estimate(campaign, sendable, segments)
    if estimate.get("queue_overflow"):
        findings.append(_finding("queue_overflow", "warn", estimate["queue_advice"]))
    return {
        "digest": campaign_digest(campaign),
        "checked_at": now.isoformat(),
        "checked_by": actor_label,
        "recipients": recipients,
        "compliance": _compliance(summary),
        "variants": [v.as_dict() for v in variants],
        "estimate": estimate,
        "findings": findings,
        "blocking": any(f["severity"] == "block" for f in findings),
    }


def _compliance(summary: Summary) -> dict[str, Any]:
    rules = [
        {
            "rule": rule,
            "severity": severity,
            "recipients": count,
            "message": summary.messages[(rule, severity)],
            "samples": summary.samples[(rule, severity)],
        }
        for (rule, severity), count in sorted(summary.by_rule.items())
    ]
    counts = {"blocked": summary.blocked, "deferred": summary.deferred, "warned": summary.warned}
    return counts | {"clean": summary.clean, "rules": rules}


def _estimate(campaign: Campaign, messages: int, segments: int) -> dict[str, Any]:
    price = Decimal(str(settings.CAMPAIGN_PRICE_PER_SEGMENT))
    estimate: dict[str, Any] = {
        "messages": messages,
        "segments": segments,
        "cost": str((price * segments).quantize(Decimal("0.01"))),
        "currency": settings.CAMPAIGN_PRICE_CURRENCY,
        "mps": str(_mps(campaign)),
    }
    mps = _mps(campaign)
    if not messages or mps <= 0:
        return estimate | {"drain_seconds": 0, "drain_time": "0 s", "queue_overflow": False}
    per_message = max(1, -(-segments // messages))
    result = calculate_throughput(
        ThroughputInput(recipients=messages, segments_per_message=min(per_message, 100), total_mps=mps,
                        validity_period_seconds=campaign.validity_period)
    )  # fmt: skip
    estimate |= {
        "drain_seconds": result.seconds_to_drain,
        "drain_time": result.drain_time,
        "queue_overflow": result.overflows,
        "overflow_segments": result.overflow_segments,
    }
    if result.overflows:
        estimate["queue_advice"] = (
            f"at {mps} MPS the send takes {result.drain_time}, beyond the senders' "
            f"{result.window_seconds // 3600} h queue: {result.overflow_segments:,} segments would be refused if "
            f"Twilio held them; the engine keeps them here and paces them, but {result.recommended_mps} MPS would "
            "send it within the window"
        )
    return estimate
