"""Campaign drafts: created, changed and deleted while nothing has been sent; every value checked, naming its field.

The API has checked the shape of each value already (types, lengths, choices), so what is refused here is a rule
the request document can only state in words: `UnprocessableInput` (422) throughout.

A change to a draft clears its preflight report: the report must describe what is launched.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from compliance.domain.rules import SENDABLE_CATEGORIES
from messaging.domain.personalize import TemplateSyntaxError, compile_template
from messaging.domain.segments import MAX_BODY_CHARACTERS
from messaging.errors import CampaignNotEditable, MessagingValidationError, UnprocessableInput
from messaging.gateways.base import MAX_MEDIA_URLS, MAX_VALIDITY_PERIOD_SECONDS
from messaging.models import Campaign, CampaignVariant, Sender, SenderPool
from messaging.services.campaigns.audience import audience_filters_check, audience_lists_check
from messaging.services.contacts.records import tags_check
from tenants.audit import audit_record
from tenants.models import Tenant, User

MAX_NAME: Final = Campaign._meta.get_field("name").max_length
MIN_VARIANTS: Final = 2
MAX_VARIANTS: Final = 5
LABELS: Final = "ABCDE"
FIELDS: Final = (
    "name", "category", "body", "variants", "media_urls", "sender", "pool", "list_ids", "tags", "attribute_filters",
    "exclude_list_ids", "exclude_tags", "schedule", "send_at", "local_date", "local_time", "validity_period",
    "track_links",
)  # fmt: skip
MAX_AHEAD: Final = timedelta(days=35)
_https = URLValidator(schemes=["https"])


def campaign_create(
    *, tenant: Tenant, fields: Mapping[str, Any], actor: User | None = None, actor_label: str | None = None
) -> Campaign:
    """A new draft from `fields` (any of FIELDS; `name` required). Audited."""
    if not str(fields.get("name") or "").strip():
        raise UnprocessableInput("a campaign needs a name", field="name")
    campaign = Campaign(created_by=actor_label or (str(actor) if actor else ""))
    with transaction.atomic():
        variants = _apply(campaign, fields)
        campaign.save()
        _save_variants(campaign, variants)
        audit_record(action="campaign.created", tenant=tenant, actor=actor, actor_label=actor_label,
                     target=campaign.name, details={"campaign_id": campaign.pk})  # fmt: skip
    return campaign


def campaign_update(*, campaign: Campaign, fields: Mapping[str, Any]) -> Campaign:
    """Change a draft (only the fields given); CampaignNotEditable once launched. The preflight is cleared."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _refuse_launched(campaign)
        variants = _apply(campaign, fields)
        campaign.preflight, campaign.preflight_at, campaign.preflight_by, campaign.preflight_digest = {}, None, "", ""
        campaign.save()
        _save_variants(campaign, variants)
    return campaign


def campaign_delete(
    *, tenant: Tenant, campaign: Campaign, actor: User | None = None, actor_label: str | None = None
) -> None:
    """Delete a draft; a launched campaign is canceled instead, never deleted (its messages keep their link)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _refuse_launched(campaign)
        audit_record(action="campaign.deleted", tenant=tenant, actor=actor, actor_label=actor_label,
                     target=campaign.name, details={"campaign_id": campaign.pk})  # fmt: skip
        campaign.delete()


def _refuse_launched(campaign: Campaign) -> None:
    if campaign.state != Campaign.State.DRAFT:
        raise CampaignNotEditable(f"campaign {campaign.pk} is {campaign.state}: only a draft can be changed")


def _apply(campaign: Campaign, fields: Mapping[str, Any]) -> list[tuple[str, int]] | None:
    """Set the checked fields on `campaign`; returns the variants to store (None: leave them as they are)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise UnprocessableInput("not a campaign field", field=sorted(unknown)[0])
    if "name" in fields:
        campaign.name = _name(fields["name"])
    if "category" in fields:
        if fields["category"] not in [c.value for c in SENDABLE_CATEGORIES]:
            choices = ", ".join(c.value for c in SENDABLE_CATEGORIES)
            raise UnprocessableInput(f"category must be one of {choices}", field="category")
        campaign.category = fields["category"]
    if "body" in fields:
        campaign.body = _template(fields["body"] or "", field="body", allow_empty=True)
    variants = _variants(fields["variants"]) if fields.get("variants") is not None else None
    if "media_urls" in fields:
        campaign.media_urls = _media(fields["media_urls"] or [])
    _apply_sender(campaign, fields)
    _apply_audience(campaign, fields)
    _apply_schedule(campaign, fields)
    if "validity_period" in fields:
        campaign.validity_period = _validity(fields["validity_period"])
    if "track_links" in fields:
        campaign.track_links = bool(fields["track_links"])
    return variants


def _name(value: Any) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise UnprocessableInput("a campaign needs a name", field="name")
    if len(name) > MAX_NAME:
        raise UnprocessableInput(f"a name is at most {MAX_NAME} characters", field="name")
    return name


def _template(value: Any, *, field: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise UnprocessableInput("a body is text", field=field)
    if not value.strip() and not allow_empty:
        raise UnprocessableInput("a body must not be blank", field=field)
    if len(value) > MAX_BODY_CHARACTERS:
        raise UnprocessableInput(f"a body is at most {MAX_BODY_CHARACTERS:,} characters", field=field)
    try:
        compile_template(value, field=field)
    except TemplateSyntaxError as exc:
        raise UnprocessableInput(exc.message, field=field) from exc
    return value


def _variants(value: Any) -> list[tuple[str, int]]:
    if not isinstance(value, list):
        raise UnprocessableInput("a list of variants", field="variants")
    if value and not MIN_VARIANTS <= len(value) <= MAX_VARIANTS:
        raise UnprocessableInput(f"an A/B test has {MIN_VARIANTS} to {MAX_VARIANTS} variants", field="variants")
    checked = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise UnprocessableInput('a variant is {"body", "percent"}', field=f"variants[{index}]")
        body = _template(item.get("body", ""), field=f"variants[{index}].body")
        percent = item.get("percent")
        if not isinstance(percent, int) or isinstance(percent, bool) or not 1 <= percent <= 99:
            raise UnprocessableInput("percent is a whole number from 1 to 99", field=f"variants[{index}].percent")
        checked.append((body, percent))
    if checked and sum(p for _, p in checked) != 100:
        total = sum(p for _, p in checked)
        raise UnprocessableInput(f"the variants' percentages sum to {total}, not 100", field="variants")
    return checked


def _save_variants(campaign: Campaign, variants: list[tuple[str, int]] | None) -> None:
    if variants is None:
        return
    CampaignVariant.objects.filter(campaign=campaign).delete()
    CampaignVariant.objects.bulk_create(
        CampaignVariant(campaign=campaign, label=LABELS[i], body=body, percent=percent)
        for i, (body, percent) in enumerate(variants)
    )


def _media(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise UnprocessableInput("a list of https URLs", field="media_urls")
    if len(value) > MAX_MEDIA_URLS:
        raise UnprocessableInput(f"at most {MAX_MEDIA_URLS} media URLs per message", field="media_urls")
    for index, url in enumerate(value):
        try:
            _https(url)
        except (DjangoValidationError, TypeError) as exc:
            raise UnprocessableInput(
                f"{url!r} is not an https URL Twilio can fetch", field=f"media_urls[{index}]"
            ) from exc
    return list(value)


def _apply_sender(campaign: Campaign, fields: Mapping[str, Any]) -> None:
    if "sender" in fields:
        sender = fields["sender"]
        if sender is not None and not isinstance(sender, Sender):
            sender = Sender.objects.filter(pk=sender).first() if isinstance(sender, int) else None
            if sender is None:
                raise UnprocessableInput("no sender has this id", field="sender")
        campaign.sender = sender
    if "pool" in fields:
        pool = fields["pool"]
        if pool is not None and not isinstance(pool, SenderPool):
            pool = SenderPool.objects.filter(pk=pool).first() if isinstance(pool, int) else None
            if pool is None:
                raise UnprocessableInput("no pool has this id", field="pool")
        campaign.pool = pool
    if campaign.sender_id and campaign.pool_id:
        field = "pool" if "pool" in fields else "sender"
        raise UnprocessableInput("give either a sender or a pool, not both", field=field)


def _apply_audience(campaign: Campaign, fields: Mapping[str, Any]) -> None:
    if "list_ids" in fields:
        campaign.list_ids = _rule(audience_lists_check, fields["list_ids"] or [], field="list_ids")
    if "exclude_list_ids" in fields:
        campaign.exclude_list_ids = _rule(
            audience_lists_check, fields["exclude_list_ids"] or [], field="exclude_list_ids"
        )
    if "tags" in fields:
        campaign.tags = _rule(tags_check, fields["tags"] or [], field="tags")
    if "exclude_tags" in fields:
        campaign.exclude_tags = _rule(tags_check, fields["exclude_tags"] or [], field="exclude_tags")
    if "attribute_filters" in fields:
        campaign.attribute_filters = _rule(audience_filters_check, fields["attribute_filters"] or [])


def _rule(check, value: Any, **kwargs):
    """A shared check's refusal as a rule's (the value has the documented shape; the rule is in words only)."""
    try:
        return check(value, **kwargs)
    except MessagingValidationError as exc:
        if isinstance(exc, UnprocessableInput):
            raise
        raise UnprocessableInput(exc.message, field=exc.field) from exc


def _apply_schedule(campaign: Campaign, fields: Mapping[str, Any]) -> None:
    if "schedule" in fields:
        if fields["schedule"] not in Campaign.Schedule.values:
            raise UnprocessableInput("schedule must be one of now, at, local", field="schedule")
        campaign.schedule = fields["schedule"]
    if "send_at" in fields:
        send_at = fields["send_at"]
        if send_at is not None and (not isinstance(send_at, datetime) or timezone.is_naive(send_at)):
            raise UnprocessableInput("send_at needs a time zone, e.g. 2026-12-24T09:00:00Z", field="send_at")
        if send_at is not None and send_at > timezone.now() + MAX_AHEAD:
            raise UnprocessableInput("send_at must be within 35 days", field="send_at")
        campaign.send_at = send_at
    if "local_date" in fields:
        day = fields["local_date"]
        if day is not None and not isinstance(day, date):
            raise UnprocessableInput("a date, e.g. 2026-12-24", field="local_date")
        today = timezone.now().date()
        if day is not None and not today - timedelta(days=1) <= day <= today + MAX_AHEAD:
            raise UnprocessableInput("local_date must be from today to 35 days ahead", field="local_date")
        campaign.local_date = day
    if "local_time" in fields:
        if fields["local_time"] is not None and not isinstance(fields["local_time"], time):
            raise UnprocessableInput("a time of day, e.g. 10:00", field="local_time")
        campaign.local_time = fields["local_time"]
    if campaign.schedule == Campaign.Schedule.AT and campaign.send_at is None:
        raise UnprocessableInput("a campaign scheduled at a time needs send_at", field="send_at")
    if campaign.schedule == Campaign.Schedule.LOCAL and (campaign.local_date is None or campaign.local_time is None):
        field = "local_date" if campaign.local_date is None else "local_time"
        raise UnprocessableInput("a campaign at a local time needs local_date and local_time", field=field)


def _validity(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_VALIDITY_PERIOD_SECONDS:
        raise UnprocessableInput(
            f"validity_period must be between 1 and {MAX_VALIDITY_PERIOD_SECONDS:,} seconds", field="validity_period"
        )
    return value
