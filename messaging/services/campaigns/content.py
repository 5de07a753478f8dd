"""What each recipient of a campaign is sent: its variant, its body rendered from the contact, and its links
rewritten per recipient to tracked short links where the campaign asks (`rewrite_links`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.db import connection

from messaging.domain.campaigns import variant_index
from messaging.domain.personalize import Template, compile_template
from messaging.models import Campaign, CampaignVariant
from messaging.services.links import PLACEHOLDER_CODE, links_prepare, links_preview
from tenants.models import Tenant
from tenants.selectors import tenant_for_schema


def rewrite_links(body: str, campaign: Campaign, version: Version, contact_id: int) -> str:
    """The body with its links as the recipient gets them: with `track_links`, each link of the version's template
    becomes the tenant's short link for this contact and variant (no query per recipient); else unchanged. A link
    built from a template tag (`{{`) stays as it is."""
    if not campaign.track_links:
        return body
    short = _short_links(campaign, version)
    links = short(contact_id)
    for url in sorted(links, key=len, reverse=True):  # a URL that is a prefix of another is replaced after it
        body = body.replace(url, links[url])
    return body


def _short_links(campaign: Campaign, version: Version) -> Callable[[int], dict[str, str]]:
    key = (connection.schema_name, campaign.pk, version.label, version.source)
    if key not in _prepared:
        tenant = _schema_tenant()
        if campaign.pk is None:  # an unsaved draft's preview: every link as long as it will be, leading nowhere
            prepared = links_preview(tenant=tenant, body=version.source)
            sample = dict.fromkeys(prepared.links.values(), prepared.base + PLACEHOLDER_CODE)
            _prepared[key] = lambda contact_id: sample
        else:
            prepared = links_prepare(tenant=tenant, body=version.source, owner_kind="campaign", owner_id=campaign.pk)
            _prepared[key] = lambda contact_id: prepared.short_links(contact_id, version.label)
        if len(_prepared) > MAX_PREPARED:
            _prepared.pop(next(iter(_prepared)))
    return _prepared[key]


def _schema_tenant() -> Tenant:
    """The tenant whose schema is current: a request's own, or, in a task that set the schema by name (where the
    connection holds a stand-in without the tenant's fields), the schema's row."""
    current = connection.tenant
    return current if isinstance(current, Tenant) else tenant_for_schema(connection.schema_name)


MAX_PREPARED: Final = 256
_prepared: dict[tuple, Callable[[int], dict[str, str]]] = {}


@dataclass(frozen=True)
class Version:
    """One body a campaign sends: the template, its variant (None without variants) and its label."""

    variant_id: int | None
    label: str
    percent: int
    template: Template
    source: str


def versions(campaign: Campaign) -> list[Version]:
    """The campaign's bodies, compiled: its variants in label order, or its one body."""
    variants = list(CampaignVariant.objects.filter(campaign=campaign).order_by("label"))
    if not variants:
        return [Version(None, "", 100, compile_template(campaign.body), campaign.body)]
    return [Version(v.pk, v.label, v.percent, compile_template(v.body), v.body) for v in variants]


def version_for(campaign_id: int, contact_id: int, choices: list[Version]) -> Version:
    """The version a contact gets: stable per campaign and contact, following the split."""
    if len(choices) == 1:
        return choices[0]
    return choices[variant_index(campaign_id, contact_id, [v.percent for v in choices])]


def contact_values(phone_number: str, name: str, attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    """The values a body template may name for one contact."""
    words = name.split()
    return {
        "name": name,
        "first_name": words[0] if words else "",
        "last_name": " ".join(words[1:]),
        "phone_number": phone_number,
        "attributes": attributes or {},
    }


def body_for(campaign: Campaign, version: Version, contact_id: int, values: Mapping[str, Any]):
    """(body, missing paths) for one recipient: rendered, then its links rewritten."""
    rendered = version.template.render(values)
    return rewrite_links(rendered.text, campaign, version, contact_id), rendered.missing


@dataclass(frozen=True)
class Sample:
    contact_id: int
    phone_number: str
    name: str
    variant: str
    body: str
    encoding: str
    segments: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    recipients: int
    samples: list[Sample]


def audience_preview(campaign: Campaign, *, samples: int = 5) -> Preview:
    """How many contacts the audience holds now, and what the first few of them would get."""
    from messaging.domain.campaigns import segments_of
    from messaging.services.campaigns.audience import audience

    contacts = audience(campaign)
    choices = versions(campaign)
    shown = []
    for pk, phone, name, attributes in contacts.order_by("pk").values_list("pk", "phone_number", "name", "attributes")[
        :samples
    ]:
        version = version_for(campaign.pk or 0, pk, choices)
        body, missing = body_for(campaign, version, pk, contact_values(phone, name, attributes))
        encoding, segments = segments_of(body)
        shown.append(Sample(pk, phone, name, version.label, body, encoding, segments, missing))
    return Preview(recipients=contacts.count(), samples=shown)
