"""Read-only queries on the tenant schema of the current request or task; they own select/prefetch_related."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from compliance.domain import registration
from compliance.models import NumberLookup
from messaging.domain import timeline
from messaging.domain.contact_csv import tag_slug
from messaging.domain.failures import LABELS, FailureReason
from messaging.domain.sequences import SETTLING_STATUSES
from messaging.domain.statuses import CANCELABLE
from messaging.gateways.errors import ErrorInfo, classify_async_error
from messaging.models import (
    Campaign,
    Contact,
    ContactList,
    ImportJob,
    ImportRejection,
    LinkClick,
    Message,
    MessageEvent,
    Sender,
    SenderPlan,
    SenderPool,
    Sequence,
    SequencePart,
    TrackedLink,
)

NUMBER_SEARCH = re.compile(r"^[0-9\s+().-]+$")


@dataclass(frozen=True)
class DashboardSummary:
    contacts: int
    senders: int


def dashboard_summary() -> DashboardSummary:
    """Counts shown on the dashboard."""
    return DashboardSummary(contacts=Contact.objects.count(), senders=Sender.objects.count())


def senders() -> QuerySet[Sender]:
    """Every sender of the tenant, in kind and address order."""
    return Sender.objects.all()


def senders_with_registration(*, by: registration.Mover) -> list[Sender]:
    """Every sender, each with `next_states` (the registration moves `by` may make) and `verdict` (may it send)."""
    found = list(senders())
    for sender in found:
        sender.next_states = sorted(registration.allowed_moves(sender.kind, sender.registration_state, by=by))
        sender.verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    return found


def pools() -> QuerySet[SenderPool]:
    """Every sender pool with its senders."""
    return SenderPool.objects.prefetch_related("senders")


def plans() -> QuerySet[SenderPlan]:
    """Saved sender plans, newest first."""
    return SenderPlan.objects.all()


# --- messages -------------------------------------------------------------------------------------------------

MESSAGE_PAGE_SIZE = 50


@dataclass(frozen=True)
class MessageBox:
    """One list of the Messages page: the messages of one direction in some statuses."""

    name: str
    title: str
    direction: str
    statuses: tuple[str, ...]

    @property
    def inbound(self) -> bool:
        return self.direction == "inbound"


MESSAGE_BOXES = {
    box.name: box
    for box in (
        MessageBox("outbox", "Outbox", "outbound", ("scheduled", "queued", "sending")),
        MessageBox("sent", "Sent", "outbound", ("accepted", "sent", "delivered", "read")),
        # the same statuses as the `message_failed` partial index, so that the list reads it
        MessageBox("failed", "Failed", "outbound", ("failed", "undelivered")),
        MessageBox("canceled", "Canceled", "outbound", ("canceled",)),
        MessageBox("inbox", "Inbox", "inbound", ("received",)),
    )
}


@dataclass(frozen=True)
class MessageFilters:
    """What a list is narrowed to; empty values do not narrow. `number` is the recipient of an outbound message and
    the handset that wrote an inbound one (E.164); `since` and `until` are UTC days, both included."""

    number: str = ""
    sender: Sender | None = None
    status: str = ""
    failure_reason: str = ""
    error_code: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class MessagePage:
    """Up to a page of messages, newest first; `newer` and `older` are the ids to page from, None at either end."""

    messages: list[Message]
    newer: int | None
    older: int | None


def messages() -> QuerySet[Message]:
    """Every message of the tenant, newest first, with its sender and pool."""
    return Message.objects.select_related("sender", "pool")


def sequences() -> QuerySet[Sequence]:
    """Every ordered sequence of the tenant, newest first, with its sender, pool, and parts (each with its message)."""
    parts = SequencePart.objects.select_related("message").order_by("position")
    return Sequence.objects.select_related("sender", "pool").prefetch_related(Prefetch("parts", queryset=parts))


def sequences_with_progress() -> QuerySet[Sequence]:
    """`sequences()`, each with `delivered_count`: how many of its parts were delivered."""
    return sequences().annotate(delivered_count=Count("parts", filter=Q(parts__status=SequencePart.Status.DELIVERED)))


def sequences_due(*, now: datetime) -> list[int]:
    """Sequences with a part waiting for an outcome it has: its message's final status, or (running) its deadline
    passed; what the sweep advances when the callback's or the deadline's own task was lost."""
    waiting = SequencePart.objects.filter(status=SequencePart.Status.SENT).filter(
        Q(message__status__in=[s.value for s in SETTLING_STATUSES])
        | Q(sequence__status=Sequence.Status.RUNNING, deadline_at__lte=now)
    )
    return list(waiting.order_by("sequence_id").values_list("sequence_id", flat=True).distinct())


def messages_in(box: MessageBox, filters: MessageFilters) -> QuerySet[Message]:
    """The messages of one list, narrowed by `filters` (each filter matches an index: number, sender, id)."""
    rows = messages().filter(direction=box.direction, status__in=box.statuses)
    if filters.number:
        rows = rows.filter(**{"from_address" if box.inbound else "to": filters.number})
    if filters.sender is not None:
        rows = rows.filter(sender=filters.sender)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.failure_reason:
        rows = rows.filter(failure_reason=filters.failure_reason)
    if filters.error_code is not None:
        rows = rows.filter(error_code=filters.error_code)
    if filters.since is not None:
        rows = rows.filter(created_at__gte=datetime.combine(filters.since, time.min, tzinfo=UTC))
    if filters.until is not None:
        rows = rows.filter(created_at__lt=datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=UTC))
    return rows


def messages_page(
    rows: QuerySet[Message], *, before: int | None = None, after: int | None = None, size: int = MESSAGE_PAGE_SIZE
) -> MessagePage:
    """A page of `rows` by id (keyset): the newest ones, those older than `before`, or those newer than `after`."""
    if after is not None:
        found = list(rows.filter(pk__gt=after).order_by("pk")[: size + 1])
        more_newer, page = len(found) > size, found[:size][::-1]
        more_older = bool(page) and rows.filter(pk__lt=page[-1].pk).exists()
    else:
        found = list((rows if before is None else rows.filter(pk__lt=before)).order_by("-pk")[: size + 1])
        more_older, page = len(found) > size, found[:size]
        more_newer = bool(page) and rows.filter(pk__gt=page[0].pk).exists()
    return MessagePage(
        messages=page,
        newer=page[0].pk if more_newer else None,
        older=page[-1].pk if more_older else None,
    )


@dataclass(frozen=True)
class TimelineEntry:
    event: MessageEvent
    since_created: timedelta
    since_previous: timedelta


@dataclass(frozen=True)
class MessageTimeline:
    """A message, each of its events with the time since the message was created and since the event before, the
    legs of its life (created → sent, sent → delivered, ...), and Twilio's error code in plain words."""

    message: Message
    entries: list[TimelineEntry]
    legs: list[timeline.Leg]
    error: ErrorInfo | None
    cancelable: bool


def message_timeline(message: Message) -> MessageTimeline:
    """The timeline of `message`: its events in order; Twilio's error code explained from the error table."""
    events = list(message.events.all())
    steps = timeline.latencies(message.created_at, [event.created_at for event in events])
    times = {
        "created": message.created_at,
        "accepted": message.accepted_at,
        "sent": message.sent_at,
        "delivered": message.delivered_at,
        "read": message.read_at,
        "failed": message.failed_at,
        "canceled": message.canceled_at,
    }
    return MessageTimeline(
        message=message,
        entries=[
            TimelineEntry(event, step.since_start, step.since_previous)
            for event, step in zip(events, steps, strict=True)
        ],
        legs=timeline.legs(times),
        error=classify_async_error(message.error_code) if message.error_code is not None else None,
        cancelable=message.status in CANCELABLE,
    )


@dataclass(frozen=True)
class FailureGroup:
    reason: str
    label: str
    count: int
    error_codes: list[int]
    last_failed_at: datetime | None


def messages_stranded(*, queued_before: datetime, sending_before: datetime, limit: int = 100) -> list[Message]:
    """Messages that should have left: queued (or due to leave) before `queued_before`, or claimed by a worker
    before `sending_before` and still sending; oldest first."""
    stranded = (
        Q(status="queued", queued_at__lt=queued_before)
        | Q(status="scheduled", send_at__lt=queued_before)
        | Q(status="sending", sending_at__lt=sending_before)
    )
    return list(messages().filter(stranded).order_by("pk")[:limit])


def failures_by_reason(*, since: datetime) -> list[FailureGroup]:
    """Messages that failed or were undelivered since `since`, counted by failure reason, the most frequent first,
    each with the Twilio error codes seen."""
    failed = Message.objects.filter(status__in=["failed", "undelivered"], failed_at__gte=since)
    counted = failed.order_by().values("failure_reason").annotate(count=Count("id"), last=Max("failed_at"))
    codes: dict[str, set[int]] = {}
    for reason, code in (
        failed.exclude(error_code=None).order_by().values_list("failure_reason", "error_code").distinct()
    ):
        codes.setdefault(reason, set()).add(code)
    groups = [
        FailureGroup(
            reason=row["failure_reason"],
            label=LABELS[FailureReason(row["failure_reason"])] if row["failure_reason"] else "No reason recorded",
            count=row["count"],
            error_codes=sorted(codes.get(row["failure_reason"], ())),
            last_failed_at=row["last"],
        )
        for row in counted
    ]
    return sorted(groups, key=lambda group: (-group.count, group.reason))


def message_events(message: Message) -> QuerySet[MessageEvent]:
    """A message's events, oldest first."""
    return MessageEvent.objects.filter(message=message).order_by("id")


def contacts_lookup_due(*, limit: int) -> list[str]:
    """Contacts' numbers never looked up, or whose Lookup result has expired, oldest contacts first."""
    fresh = NumberLookup.objects.filter(number=OuterRef("phone_number"), expires_at__gt=timezone.now())
    return list(Contact.objects.filter(~Exists(fresh)).order_by("id").values_list("phone_number", flat=True)[:limit])


def contacts_matching(
    *, list_id: int | None = None, tag: str | None = None, status: str | None = None, search: str | None = None
) -> QuerySet[Contact]:
    """Contacts newest first, with their lists: on a list, with a tag, in a status, and whose number or name holds
    `search` (a search of digits and phone punctuation looks in the numbers only, by their digits)."""
    contacts = Contact.objects.prefetch_related("lists").order_by("-id")
    if list_id is not None:
        contacts = contacts.filter(memberships__contact_list_id=list_id)
    if tag:
        contacts = contacts.filter(tags__contains=[tag_slug(tag)])
    if status:
        contacts = contacts.filter(status=status)
    search = (search or "").strip()
    if search and NUMBER_SEARCH.match(search) and re.sub(r"\D", "", search):
        contacts = contacts.filter(phone_number__contains=re.sub(r"\D", "", search))
    elif search:
        contacts = contacts.filter(Q(name__icontains=search) | Q(phone_number__contains=search))
    return contacts


def contact_lists() -> QuerySet[ContactList]:
    """Every list by name, each with `members`, the number of contacts on it."""
    return ContactList.objects.annotate(members=Count("memberships")).order_by("name")


def import_jobs() -> QuerySet[ImportJob]:
    """Contact imports, newest first, with their list."""
    return ImportJob.objects.select_related("contact_list").order_by("-id")


def import_rejections(job: ImportJob) -> QuerySet[ImportRejection]:
    """The rows an import rejected, in file order."""
    return ImportRejection.objects.filter(job=job).order_by("row_number")


def import_progress(job: ImportJob) -> int:
    """How far an import has read its file, in whole percent of the bytes after the header (100 once completed)."""
    if job.status == ImportJob.Status.COMPLETED:
        return 100
    data = job.size_bytes - job.data_offset
    return min(100, (job.committed_offset - job.data_offset) * 100 // data) if data > 0 else 0


# --- campaigns ----------------------------------------------------------------------------------------------------

PROGRESS_GROUPS: Final = {
    "scheduled": "deferred",
    "queued": "queued",
    "held": "queued",
    "sending": "queued",
    "accepted": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
    "suppressed": "suppressed",
    "canceled": "canceled",
}
STILL_TO_SEND: Final = ("scheduled", "queued", "held", "sending")


def campaigns() -> QuerySet[Campaign]:
    """Campaigns newest first, with their sender or pool and their variants."""
    return Campaign.objects.select_related("sender", "pool").prefetch_related("variants").order_by("-id")


@dataclass(frozen=True)
class CampaignProgress:
    recipients: int
    expanded: int
    counts: dict[str, int]  # queued, deferred, sent, delivered, undelivered, failed, suppressed, canceled
    by_variant: dict[str, dict[str, int]]
    remaining_segments: int
    estimated_finish: datetime | None

    @property
    def done(self) -> int:
        return sum(n for group, n in self.counts.items() if group not in ("queued", "deferred"))

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.recipients) if self.recipients else 0


def campaign_progress(campaign: Campaign, *, now: datetime | None = None) -> CampaignProgress:
    """How far a campaign got: its messages counted by status group (in total and per variant), the segments still
    to send (those not expanded yet estimated from the rest) and, while it runs, when it should finish."""
    now = now or timezone.now()
    counts = dict.fromkeys(dict.fromkeys(PROGRESS_GROUPS.values()), 0)
    by_variant: dict[str, dict[str, int]] = {}
    remaining = total_segments = messages = 0
    rows = (
        Message.objects.filter(campaign=campaign)
        .values("status", "campaign_variant__label")
        .annotate(n=Count("id"), segments=Sum("segments"), last=Max("send_at"))
        .order_by()
    )
    latest: datetime | None = None
    for row in rows:
        group = PROGRESS_GROUPS.get(row["status"], "queued")
        counts[group] += row["n"]
        if row["campaign_variant__label"]:
            variant = by_variant.setdefault(row["campaign_variant__label"], dict.fromkeys(counts, 0))
            variant[group] += row["n"]
        messages += row["n"]
        total_segments += row["segments"] or 0
        if row["status"] in STILL_TO_SEND:
            remaining += row["segments"] or 0
            if row["status"] == "scheduled" and row["last"] is not None:
                latest = max(filter(None, [latest, row["last"]]))
    unexpanded = max(0, campaign.recipients - campaign.expanded)
    if unexpanded and messages:
        remaining += unexpanded * max(1, round(total_segments / messages))
    finish = _estimated_finish(campaign, remaining, latest, now)
    return CampaignProgress(campaign.recipients, campaign.expanded, counts, by_variant, remaining, finish)


def _estimated_finish(campaign: Campaign, segments: int, latest: datetime | None, now: datetime) -> datetime | None:
    from messaging.domain.throughput import ThroughputInput, calculate_throughput

    if campaign.state not in (Campaign.State.RUNNING, Campaign.State.SCHEDULED):
        return None
    start = max(now, campaign.send_at) if campaign.state == Campaign.State.SCHEDULED and campaign.send_at else now
    mps = campaign.sender.mps if campaign.sender_id else sum(s.mps for s in campaign.pool.senders.all())
    if not segments or not mps:
        return max(filter(None, [start, latest]))
    drain = calculate_throughput(ThroughputInput(recipients=segments, segments_per_message=1, total_mps=mps))
    return max(filter(None, [start + timedelta(seconds=drain.seconds_to_drain), latest]))


def tracked_links(*, owner_kind: str, owner_id: int) -> QuerySet[TrackedLink]:
    """An owner's tracked links, newest first, each with `click_count` and `clicking_recipients` (distinct)."""
    return TrackedLink.objects.filter(owner_kind=owner_kind, owner_id=owner_id).annotate(
        click_count=Count("clicks"), clicking_recipients=Count("clicks__recipient_ref", distinct=True)
    )


def link_clicks(link: TrackedLink) -> QuerySet[LinkClick]:
    """A link's clicks, newest first."""
    return LinkClick.objects.filter(link=link)


@dataclass(frozen=True)
class ClickThrough:
    """Who clicked, of those who got an owner's links: `variant` "" stands for all of them."""

    variant: str
    recipients: int
    clicking_recipients: int
    clicks: int

    @property
    def rate(self) -> float:
        """clicking_recipients ÷ recipients, 0 without recipients."""
        return self.clicking_recipients / self.recipients if self.recipients else 0.0


def click_through(*, owner_kind: str, owner_id: int, recipients: Mapping[str, int]) -> list[ClickThrough]:
    """Click-through of an owner's links, overall first, then per variant of `recipients` (variant label →
    recipients who got that variant; "" for an owner without variants): distinct recipients who clicked any of its
    links ÷ recipients. The owner knows its recipients (a message has one), so it passes them."""
    clicks = LinkClick.objects.filter(link__owner_kind=owner_kind, link__owner_id=owner_id)
    per_variant = {
        row["variant"]: row
        for row in clicks.values("variant")
        .annotate(total=Count("id"), people=Count("recipient_ref", distinct=True))
        .order_by()
    }
    overall = clicks.aggregate(total=Count("id"), people=Count("recipient_ref", distinct=True))
    rows = [ClickThrough("", sum(recipients.values()), overall["people"], overall["total"])]
    for variant in sorted(label for label in recipients if label):
        found = per_variant.get(variant, {"total": 0, "people": 0})
        rows.append(ClickThrough(variant, recipients[variant], found["people"], found["total"]))
    return rows
