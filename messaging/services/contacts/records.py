"""Contacts one by one and in bulk: create, update, delete, tag; the checks every way in (UI, API, import) shares."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Final

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from messaging.domain.contact_csv import ATTRIBUTE_KEY, ATTRIBUTE_KEY_RULE, MAX_TAG_LENGTH, tag_slug
from messaging.errors import ContactExists, MessagingValidationError, UnprocessableInput
from messaging.models import Contact, ContactList
from messaging.services.contacts.phones import normalize_phone_number, tenant_region, time_zone_check
from tenants.audit import audit_record
from tenants.models import Tenant, User

MAX_NAME_LENGTH: Final = Contact._meta.get_field("name").max_length
MAX_REASON_LENGTH: Final = Contact._meta.get_field("unsendable_reason").max_length
MAX_ATTRIBUTES: Final = 100
MAX_ATTRIBUTE_TEXT: Final = 1000
MAX_TAGS: Final = 50
STATUSES: Final = tuple(Contact.Status.values)


# --- checks -------------------------------------------------------------------------------------------------------


def name_check(value: str, *, field: str = "name") -> str:
    """The name on one line with single spaces, refused past MAX_NAME_LENGTH characters."""
    value = " ".join(value.split())
    if len(value) > MAX_NAME_LENGTH:
        raise MessagingValidationError(f"a name is at most {MAX_NAME_LENGTH} characters", field=field)
    return value


def attribute_value_problem(value: Any) -> str | None:
    """Why a value cannot be an attribute (text up to MAX_ATTRIBUTE_TEXT characters, a finite number, true or
    false), or None when it can."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if math.isfinite(value) else "a number must be finite"
    if isinstance(value, str):
        return None if len(value) <= MAX_ATTRIBUTE_TEXT else f"text is at most {MAX_ATTRIBUTE_TEXT} characters"
    return "a value is text, a number, true or false"


def attributes_check(value: Any, *, field: str = "attributes") -> dict[str, Any]:
    """Attributes as given when they are an object of up to MAX_ATTRIBUTES keys to text, numbers or booleans."""
    if not isinstance(value, Mapping):
        raise MessagingValidationError("attributes are an object of keys to values", field=field)
    if len(value) > MAX_ATTRIBUTES:
        raise UnprocessableInput(f"a contact has at most {MAX_ATTRIBUTES} attributes", field=field)
    for key, item in value.items():
        if not isinstance(key, str) or not ATTRIBUTE_KEY.match(key):
            raise UnprocessableInput(f"'{key}': {ATTRIBUTE_KEY_RULE}", field=f"{field}.{key}")
        problem = attribute_value_problem(item)
        if problem:
            raise MessagingValidationError(problem, field=f"{field}.{key}")
    return dict(value)


def tags_check(values: Iterable[Any], *, field: str = "tags") -> list[str]:
    """Tags as sorted, distinct lowercase slugs ('VIP Customers' → 'vip-customers'), at most MAX_TAGS."""
    slugs = set()
    for value in values:
        slug = tag_slug(value) if isinstance(value, str) else ""
        if not slug:
            raise UnprocessableInput(f"{value!r} has no letters or digits to make a tag of", field=field)
        if len(slug) > MAX_TAG_LENGTH:
            raise UnprocessableInput(f"a tag is at most {MAX_TAG_LENGTH} characters: {slug!r}", field=field)
        slugs.add(slug)
    if len(slugs) > MAX_TAGS:
        raise UnprocessableInput(f"a contact has at most {MAX_TAGS} tags", field=field)
    return sorted(slugs)


def lists_by_ids(list_ids: Iterable[int], *, field: str = "lists") -> list[ContactList]:
    """The lists with these ids; refused naming the first id that names no list."""
    wanted = list(dict.fromkeys(list_ids))
    found = {item.pk: item for item in ContactList.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise UnprocessableInput(f"no list with id {missing[0]}", field=field)
    return [found[pk] for pk in wanted]


def _status_fields(contact: Contact, status: str | None, reason: str | None) -> dict[str, Any]:
    """The status, reason and since a contact gets; a reason is kept only while it is unsendable."""
    status = contact.status if status is None else status
    if status not in STATUSES:
        raise MessagingValidationError(f"status is one of {', '.join(STATUSES)}", field="status")
    if status == Contact.Status.ACTIVE:
        if reason:
            raise UnprocessableInput(
                "only an unsendable contact has a reason: set status to unsendable", field="unsendable_reason"
            )
        return {"status": status, "unsendable_reason": "", "unsendable_since": None}
    reason = (contact.unsendable_reason if reason is None else reason).strip()
    if not reason:
        raise UnprocessableInput("say why the contact is unsendable", field="unsendable_reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise MessagingValidationError(f"a reason is at most {MAX_REASON_LENGTH} characters", field="unsendable_reason")
    since = contact.unsendable_since if contact.status == Contact.Status.UNSENDABLE else None
    return {"status": status, "unsendable_reason": reason, "unsendable_since": since or timezone.now()}


# --- one contact --------------------------------------------------------------------------------------------------


def contact_create(
    *,
    phone_number: str,
    name: str = "",
    attributes: Mapping[str, Any] | None = None,
    time_zone: str = "",
    tags: Iterable[str] = (),
    list_ids: Iterable[int] = (),
    status: str = Contact.Status.ACTIVE,
    unsendable_reason: str = "",
    default_country: str | None = None,
) -> Contact:
    """Create a contact; the number is stored in E.164 (read in the tenant's default country unless it has a +).

    Refuses a number another contact has (ContactExists) and any value that is not valid, naming the field.
    """
    e164, country = normalize_phone_number(phone_number, default_country=tenant_region(default_country))
    contact = Contact(
        phone_number=e164,
        country=country,
        name=name_check(name),
        attributes=attributes_check(attributes or {}),
        time_zone=time_zone_check(time_zone),
        tags=tags_check(tags),
    )
    for key, value in _status_fields(contact, status, unsendable_reason).items():
        setattr(contact, key, value)
    lists = lists_by_ids(list_ids)
    _refuse_taken(e164)
    try:
        with transaction.atomic():
            contact.save()
            contact.lists.set(lists)
    except IntegrityError:
        _refuse_taken(e164)
        raise
    return contact


def _refuse_taken(e164: str, *, other_than: int | None = None) -> None:
    taken = Contact.objects.filter(phone_number=e164).exclude(pk=other_than).values_list("pk", flat=True).first()
    if taken is not None:
        raise ContactExists(f"contact {taken} has the number {e164} already", field="phone_number")


def contact_update(
    *,
    contact: Contact,
    phone_number: str | None = None,
    name: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    time_zone: str | None = None,
    tags: Iterable[str] | None = None,
    list_ids: Iterable[int] | None = None,
    status: str | None = None,
    unsendable_reason: str | None = None,
    default_country: str | None = None,
) -> Contact:
    """Change what is given (None keeps a value; attributes, tags and lists are replaced whole); all or nothing."""
    changes: dict[str, Any] = {}
    if phone_number is not None:
        e164, country = normalize_phone_number(phone_number, default_country=tenant_region(default_country))
        _refuse_taken(e164, other_than=contact.pk)
        changes.update(phone_number=e164, country=country)
    if name is not None:
        changes["name"] = name_check(name)
    if attributes is not None:
        changes["attributes"] = attributes_check(attributes)
    if time_zone is not None:
        changes["time_zone"] = time_zone_check(time_zone)
    if tags is not None:
        changes["tags"] = tags_check(tags)
    changes.update(_status_fields(contact, status, unsendable_reason))
    lists = lists_by_ids(list_ids) if list_ids is not None else None
    try:
        with transaction.atomic():
            for key, value in changes.items():
                setattr(contact, key, value)
            contact.save()
            if lists is not None:
                contact.lists.set(lists)
    except IntegrityError:
        contact.refresh_from_db()
        _refuse_taken(changes.get("phone_number", ""), other_than=contact.pk)
        raise
    return contact


def contact_upsert(*, phone_number: str, name: str = "", default_country: str = "US") -> Contact:
    """Create the contact for a number, or update its name; the number is stored in E.164."""
    e164, country = normalize_phone_number(phone_number, default_country=default_country)
    contact, created = Contact.objects.get_or_create(phone_number=e164, defaults={"name": name, "country": country})
    if not created and name and contact.name != name:
        contact.name = name
        contact.save(update_fields=["name", "updated_at"])
    return contact


def contact_delete(*, tenant: Tenant, contact: Contact, actor: User | None = None, actor_label: str | None = None):
    """Delete a contact and its list memberships; its messages stay in the log without it. Audited."""
    with transaction.atomic():
        audit_record(
            action="contact.deleted", tenant=tenant, actor=actor, actor_label=actor_label, target=contact.phone_number
        )
        contact.delete()


# --- many contacts ------------------------------------------------------------------------------------------------


def contacts_delete(
    *, tenant: Tenant, contact_ids: Iterable[int], actor: User | None = None, actor_label: str | None = None
) -> int:
    """Delete the contacts with these ids (ids that name none are skipped); returns how many went. Audited."""
    ids = list(contact_ids)
    with transaction.atomic():
        deleted = Contact.objects.filter(pk__in=ids).count()
        Contact.objects.filter(pk__in=ids).delete()
        if deleted:
            audit_record(
                action="contacts.deleted",
                tenant=tenant,
                actor=actor,
                actor_label=actor_label,
                target=f"{deleted} contacts",
                details={"count": deleted},
            )
    return deleted


def contacts_tag(*, contact_ids: Iterable[int], tags: Iterable[str]) -> int:
    """Add tags to the contacts with these ids (merged, sorted, without repeats); returns how many contacts."""
    slugs = tags_check(tags)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Contact._meta.db_table} SET updated_at = now(),"
            " tags = ARRAY(SELECT DISTINCT t FROM unnest(tags || %s::varchar(50)[]) AS t ORDER BY t)"
            " WHERE id = ANY(%s::bigint[])",
            [slugs, list(contact_ids)],
        )
        return cursor.rowcount


def contacts_untag(*, contact_ids: Iterable[int], tags: Iterable[str]) -> int:
    """Take tags off the contacts with these ids; returns how many contacts had one of them."""
    slugs = tags_check(tags)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Contact._meta.db_table} SET updated_at = now(),"
            " tags = ARRAY(SELECT t FROM unnest(tags) AS t WHERE t <> ALL(%s::varchar(50)[]) ORDER BY t)"
            " WHERE id = ANY(%s::bigint[]) AND tags && %s::varchar(50)[]",
            [slugs, list(contact_ids), slugs],
        )
        return cursor.rowcount
