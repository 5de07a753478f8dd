"""One chunk of a campaign's audience planned recipient by recipient: variant, personalised body, segments, when it
leaves, the sender, and the compliance verdict at that moment (the batch rule check, a chunk of numbers at a time).

The preflight counts what these plans say; the fan-out stores them as messages. Both read the audience in
contact-id order, a chunk at a time, so neither ever holds the audience in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from compliance.domain.rules import Category, Verdict
from compliance.services.checks import Outbound, Recipient, messages_check
from messaging.catalogue.selectors import current_catalogue
from messaging.domain.campaigns import local_send_at, segments_of
from messaging.errors import MessagingValidationError
from messaging.models import Campaign, Contact, Sender
from messaging.services import rules
from messaging.services.campaigns.audience import audience
from messaging.services.campaigns.content import Version, body_for, contact_values, version_for, versions
from messaging.services.senders import pool_pick_sender
from tenants.models import Tenant

# id, phone number, name, attributes, time zone, status, why unsendable, country
Row = tuple[int, str, str, dict, str, str, str, str]
ROW_FIELDS = ("id", "phone_number", "name", "attributes", "time_zone", "status", "unsendable_reason", "country")


@dataclass(frozen=True)
class Planned:
    """What one recipient gets, and whether the rules let it leave (and when)."""

    contact_id: int
    to: str
    version: Version
    body: str
    encoding: str
    segments: int
    missing: tuple[str, ...]
    sender: Sender | None
    leaves: datetime
    verdict: Verdict


def audience_rows(campaign: Campaign, *, after: int = 0, limit: int | None = None):
    """The audience's rows after contact id `after`, in id order (at most `limit`)."""
    rows = audience(campaign).filter(pk__gt=after).order_by("pk").values_list(*ROW_FIELDS)
    return rows[:limit] if limit is not None else rows


class Planner:
    """Plans chunks of one campaign's audience at `now` (the launch, or the preflight)."""

    def __init__(self, *, tenant: Tenant, campaign: Campaign, now: datetime, pick_pool_senders: bool = True):
        self.tenant = tenant
        self.campaign = campaign
        self.now = now
        self.versions = versions(campaign)
        self.pick_pool_senders = pick_pool_senders
        self.sender = campaign.sender or self._pool_sample()
        self._alphanumeric = current_catalogue().alphanumeric_countries if campaign.pool_id else frozenset()
        self._outbound = {v.label: self._outbound_of(v) for v in self.versions}

    def _pool_sample(self) -> Sender | None:
        if self.campaign.pool_id is None:
            return None
        return self.campaign.pool.senders.order_by("pk").first()

    def _outbound_of(self, version: Version) -> Outbound | None:
        if self.sender is None:
            return None
        typical = version.template.render({}).text
        _encoding, segments = segments_of(typical)
        return Outbound(
            to="",
            category=self.campaign.category,
            body=typical,
            segments=max(segments, 1),
            sender_kind=self.sender.kind,
            sender_registration=self.sender.registration_state,
            scopes=rules.scopes_of(self.sender, self.campaign.pool_id),
            alphanumeric_countries=rules._alphanumeric_countries(self.sender.kind),
        )

    def leaves_at(self, zone: str) -> datetime:
        """When a recipient in `zone` is due by the campaign's schedule."""
        campaign = self.campaign
        if campaign.schedule == Campaign.Schedule.AT and campaign.send_at is not None:
            return max(campaign.send_at, self.now)
        if campaign.schedule == Campaign.Schedule.LOCAL:
            return local_send_at(campaign.local_date, campaign.local_time, zone, now=self.now)
        return self.now

    def plan(self, rows: Sequence[Row]) -> Iterator[Planned]:
        """The plans of a chunk of rows, in groups of one version and one moment (each group checked at once)."""
        groups: dict[tuple[str, datetime], list[tuple[Row, str]]] = {}
        for row in rows:
            zone = row[4] or self._number_zone(row[1])
            version = version_for(self.campaign.pk, row[0], self.versions)
            groups.setdefault((version.label, self.leaves_at(zone)), []).append((row, zone))
        by_label = {v.label: v for v in self.versions}
        for (label, leaves), members in groups.items():
            yield from self._plan_group(by_label[label], leaves, members)

    def _number_zone(self, number: str) -> str:
        from compliance.services.numbers import place_of

        place = place_of(number, tenant_zone=self.tenant.time_zone)
        return place.zones[0] if place.zones else "UTC"

    def _plan_group(self, version: Version, leaves: datetime, members: list[tuple[Row, str]]) -> Iterator[Planned]:
        outbound = self._outbound[version.label]
        histories = (
            rules.marketing_histories([row[1] for row, _zone in members], leaves)
            if outbound.category == Category.MARKETING
            else {}
        )
        recipients = [
            Recipient(
                to=row[1],
                contact_zone=row[4],
                first_marketing=histories.get(row[1], rules.NO_MARKETING)[0],
                recent_marketing=histories.get(row[1], rules.NO_MARKETING)[1],
                unsendable_reason=row[6] if row[5] == Contact.Status.UNSENDABLE else "",
                key=row,
            )
            for row, _zone in members
        ]
        checked = messages_check(tenant=self.tenant, outbound=outbound, recipients=recipients, now=leaves)
        for recipient, verdict in checked:
            row = recipient.key
            body, missing = body_for(self.campaign, version, row[0], contact_values(row[1], row[2], row[3]))
            encoding, segments = segments_of(body)
            yield Planned(
                contact_id=row[0], to=row[1], version=version, body=body, encoding=encoding, segments=segments,
                missing=missing, sender=self._sender_for(row), leaves=leaves, verdict=verdict,
            )  # fmt: skip

    def _sender_for(self, row: Row) -> Sender | None:
        if self.campaign.pool_id is None or not self.pick_pool_senders:
            return self.sender
        try:
            sender, _reason = pool_pick_sender(
                pool=self.campaign.pool, phone_number=row[1], country=row[7], alphanumeric_countries=self._alphanumeric
            )
        except MessagingValidationError:  # no sender of the pool reaches it: the rules at send time say why
            return self.sender
        return sender
