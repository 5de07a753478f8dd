"""Contact lists: create, rename, delete, and contacts added to or taken off them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from messaging.errors import ContactListExists, MessagingValidationError, UnprocessableInput
from messaging.models import Contact, ContactList, ContactListMembership
from tenants.audit import audit_record
from tenants.models import Tenant, User

MAX_LIST_NAME: Final = ContactList._meta.get_field("name").max_length
MAX_DESCRIPTION: Final = 2000


def _checked_name(name: str, *, other_than: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise MessagingValidationError("a list needs a name", field="name")
    if len(name) > MAX_LIST_NAME:
        raise MessagingValidationError(f"a list name is at most {MAX_LIST_NAME} characters", field="name")
    taken = ContactList.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).exclude(pk=other_than)
    if taken.exists():
        raise ContactListExists(f"a list named {name!r} exists already", field="name")
    return name


def _checked_description(description: str) -> str:
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise MessagingValidationError(f"a description is at most {MAX_DESCRIPTION} characters", field="description")
    return description


def contact_list_create(*, name: str, description: str = "") -> ContactList:
    """Create a list; names are unique without regard to case."""
    contact_list = ContactList(name=_checked_name(name), description=_checked_description(description))
    try:
        with transaction.atomic():
            contact_list.save()
    except IntegrityError:
        _checked_name(name)  # another request took the name meanwhile: say so
        raise
    return contact_list


def contact_list_update(
    *, contact_list: ContactList, name: str | None = None, description: str | None = None
) -> ContactList:
    """Rename a list or change its description (None keeps the value)."""
    if name is not None:
        contact_list.name = _checked_name(name, other_than=contact_list.pk)
    if description is not None:
        contact_list.description = _checked_description(description)
    try:
        with transaction.atomic():
            contact_list.save()
    except IntegrityError:
        contact_list.refresh_from_db()
        _checked_name(name or "", other_than=contact_list.pk)
        raise
    return contact_list


def contact_list_delete(
    *, tenant: Tenant, contact_list: ContactList, actor: User | None = None, actor_label: str | None = None
) -> None:
    """Delete a list; its contacts stay, only their membership goes. Audited."""
    with transaction.atomic():
        members = contact_list.memberships.count()
        audit_record(
            action="contact_list.deleted",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=contact_list.name,
            details={"members": members},
        )
        contact_list.delete()


def _contacts(contact_ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(contact_ids))
    found = set(Contact.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise UnprocessableInput(f"no contact with id {missing[0]}", field="contact_ids")
    return wanted


def contact_list_add(*, contact_list: ContactList, contact_ids: Iterable[int]) -> int:
    """Put contacts on a list; returns how many were not on it yet. Refuses ids that name no contact, adding none."""
    ids = _contacts(contact_ids)
    with transaction.atomic():
        already = set(
            ContactListMembership.objects.filter(contact_list=contact_list, contact_id__in=ids).values_list(
                "contact_id", flat=True
            )
        )
        ContactListMembership.objects.bulk_create(
            [ContactListMembership(contact_list=contact_list, contact_id=pk) for pk in ids if pk not in already],
            ignore_conflicts=True,
        )
    return len(set(ids) - already)


def contact_list_remove(*, contact_list: ContactList, contact_ids: Iterable[int]) -> int:
    """Take contacts off a list (the contacts stay); returns how many were on it."""
    deleted, _ = ContactListMembership.objects.filter(
        contact_list=contact_list, contact_id__in=list(contact_ids)
    ).delete()
    return deleted
