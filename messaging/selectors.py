"""Read-only queries on the tenant schema of the current request or task; they own select/prefetch_related."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from compliance.domain import registration
from messaging.domain.contact_csv import tag_slug
from messaging.models import (
    Contact,
    ContactList,
    ImportJob,
    ImportRejection,
    Message,
    MessageEvent,
    Sender,
    SenderPlan,
    SenderPool,
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


def senders_with_registration() -> list[Sender]:
    """Every sender, each with `next_states` (the registration moves it may make) and `verdict` (may it send)."""
    found = list(senders())
    for sender in found:
        sender.next_states = sorted(registration.next_states(sender.kind, sender.registration_state))
        sender.verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    return found


def pools() -> QuerySet[SenderPool]:
    """Every sender pool with its senders."""
    return SenderPool.objects.prefetch_related("senders")


def plans() -> QuerySet[SenderPlan]:
    """Saved sender plans, newest first."""
    return SenderPlan.objects.all()


def messages() -> QuerySet[Message]:
    """Every message of the tenant, newest first."""
    return Message.objects.order_by("-id")


def message_events(message: Message) -> QuerySet[MessageEvent]:
    """A message's events, oldest first."""
    return MessageEvent.objects.filter(message=message).order_by("id")


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
