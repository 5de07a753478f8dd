"""The campaign composer's form: shape only; the draft services check the content, audience and schedule."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.urls import reverse_lazy

from compliance.domain.rules import SENDABLE_CATEGORIES
from messaging import selectors
from messaging.domain.segments import MAX_BODY_CHARACTERS
from messaging.gateways.base import MAX_VALIDITY_PERIOD_SECONDS
from messaging.models import Campaign

VARIANT_LABELS = "ABC"


def _body_field(label: str, required: bool = False) -> forms.CharField:
    counter = {"rows": 4, "data-segment-counter": reverse_lazy("ui:segments_preview")}
    return forms.CharField(label=label, required=required, max_length=MAX_BODY_CHARACTERS,
                           widget=forms.Textarea(attrs=counter), strip=False)  # fmt: skip


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=120)
    category = forms.ChoiceField(
        choices=[(c.value, c.value.capitalize()) for c in SENDABLE_CATEGORIES], initial="marketing",
        help_text="Marketing needs the recipients' consent and keeps every sending-hours rule",
    )  # fmt: skip
    sender = forms.ChoiceField(label="From", required=False, help_text="A sender, or a pool")
    body = _body_field("Body")
    variant_b = _body_field("Variant B body")
    variant_c = _body_field("Variant C body")
    split = forms.CharField(
        required=False, max_length=20, label="Split (%)",
        help_text="With variants: the shares of A, B (and C), e.g. 50/50 or 40/30/30",
    )  # fmt: skip
    media_urls = forms.CharField(required=False, label="Media URLs", widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="Optional, for an MMS: https URLs, one a line")  # fmt: skip
    lists = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Lists")
    tags = forms.CharField(required=False, max_length=500, help_text="Or contacts with any of these tags (commas)")
    attribute_filters = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Attribute filters",
        help_text="One a line: plan=gold, plan!=free, plan? (has it), !plan (lacks it)",
    )  # fmt: skip
    exclude_lists = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Except lists")
    exclude_tags = forms.CharField(required=False, max_length=500, label="Except tags")
    schedule = forms.ChoiceField(choices=Campaign.Schedule.choices, initial="now", widget=forms.RadioSelect)
    send_at = forms.DateTimeField(
        required=False,
        label="At",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    local_date = forms.DateField(required=False, label="Local day", widget=forms.DateInput(attrs={"type": "date"}))
    local_time = forms.TimeField(required=False, label="Local time", widget=forms.TimeInput(attrs={"type": "time"}))
    validity_period = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_VALIDITY_PERIOD_SECONDS, label="Validity period (s)"
    )
    track_links = forms.BooleanField(
        required=False,
        label="Track links",
        help_text="Each link becomes your short link per recipient, counting clicks",
    )

    def __init__(self, *args, time_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["send_at"].help_text = f"For “at a time”, on your clock ({time_zone})"
        senders = [(f"sender:{s.pk}", f"{s.address} · {s.label or s.get_kind_display()}") for s in selectors.senders()]
        pools = [(f"pool:{p.pk}", f"Pool {p.name}") for p in selectors.pools()]
        self.fields["sender"].choices = [("", "Choose a sender or a pool"), *senders, *pools]
        lists = [(str(c.pk), f"{c.name} ({c.members})") for c in selectors.contact_lists()]
        self.fields["lists"].choices = lists
        self.fields["exclude_lists"].choices = lists

    @classmethod
    def initial_of(cls, campaign: Campaign, time_zone: str) -> dict:
        variants = list(campaign.variants.order_by("label"))
        initial = {
            "name": campaign.name, "category": campaign.category,
            "sender": f"sender:{campaign.sender_id}" if campaign.sender_id else
            (f"pool:{campaign.pool_id}" if campaign.pool_id else ""),
            "body": variants[0].body if variants else campaign.body,
            "media_urls": "\n".join(campaign.media_urls), "lists": [str(i) for i in campaign.list_ids],
            "tags": ", ".join(campaign.tags), "exclude_lists": [str(i) for i in campaign.exclude_list_ids],
            "exclude_tags": ", ".join(campaign.exclude_tags), "schedule": campaign.schedule,
            "send_at": campaign.send_at.astimezone(ZoneInfo(time_zone)) if campaign.send_at else None,
            "local_date": campaign.local_date, "local_time": campaign.local_time,
            "validity_period": campaign.validity_period,
            "track_links": campaign.track_links,
            "attribute_filters": "\n".join(_filter_line(f) for f in campaign.attribute_filters),
        }  # fmt: skip
        if variants:
            initial["variant_b"] = variants[1].body if len(variants) > 1 else ""
            initial["variant_c"] = variants[2].body if len(variants) > 2 else ""
            initial["split"] = "/".join(str(v.percent) for v in variants)
        return initial

    def clean_split(self) -> list[int]:
        text = self.cleaned_data["split"].strip()
        if not text:
            return []
        try:
            return [int(part) for part in text.split("/")]
        except ValueError as exc:
            raise forms.ValidationError("write the shares as whole numbers separated by /, e.g. 50/50") from exc

    def clean_send_at(self) -> datetime | None:
        typed = self.cleaned_data["send_at"]
        return None if typed is None else typed.replace(tzinfo=None).replace(tzinfo=ZoneInfo(self.time_zone))

    def clean_attribute_filters(self) -> list[dict[str, str]]:
        filters = []
        for line in self.cleaned_data["attribute_filters"].splitlines():
            line = line.strip()
            if not line:
                continue
            if "!=" in line:
                key, value = line.split("!=", 1)
                filters.append({"key": key.strip(), "op": "ne", "value": value.strip()})
            elif "=" in line:
                key, value = line.split("=", 1)
                filters.append({"key": key.strip(), "op": "eq", "value": value.strip()})
            elif line.startswith("!"):
                filters.append({"key": line[1:].strip(), "op": "missing", "value": ""})
            else:
                filters.append({"key": line.rstrip("?").strip(), "op": "exists", "value": ""})
        return filters

    def campaign_fields(self) -> dict:
        """The cleaned form as the draft services' fields."""
        data = self.cleaned_data
        chosen = data["sender"]
        bodies = [b for b in (data["body"], data["variant_b"], data["variant_c"]) if b.strip()]
        with_variants = len(bodies) > 1
        split = data["split"] or ([100 // len(bodies)] * len(bodies) if with_variants else [])
        if with_variants and sum(split) != 100 and not data["split"]:
            split[0] += 100 - sum(split)
        variants = [{"body": b, "percent": p} for b, p in zip(bodies, split, strict=False)] if with_variants else []
        if with_variants and len(split) != len(bodies):
            variants = [{"body": b, "percent": 0} for b in bodies]  # the service names the split that does not fit
        return {
            "name": data["name"], "category": data["category"],
            "sender": int(chosen.split(":")[1]) if chosen.startswith("sender:") else None,
            "pool": int(chosen.split(":")[1]) if chosen.startswith("pool:") else None,
            "body": "" if with_variants else data["body"], "variants": variants,
            "media_urls": [u.strip() for u in data["media_urls"].splitlines() if u.strip()],
            "list_ids": [int(i) for i in data["lists"]], "exclude_list_ids": [int(i) for i in data["exclude_lists"]],
            "tags": _tags(data["tags"]), "exclude_tags": _tags(data["exclude_tags"]),
            "attribute_filters": data["attribute_filters"], "schedule": data["schedule"], "send_at": data["send_at"],
            "local_date": data["local_date"], "local_time": data["local_time"],
            "validity_period": data["validity_period"],
            "track_links": data["track_links"],
        }  # fmt: skip


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _filter_line(item: dict) -> str:
    op, key, value = item["op"], item["key"], item["value"]
    return {"eq": f"{key}={value}", "ne": f"{key}!={value}", "exists": f"{key}?", "missing": f"!{key}"}[op]
