"""A campaign's audience as one SQL query over contacts: never loaded whole, read in id order by whoever needs it.

Contacts on any of the lists or with any of the tags, matching every attribute filter, and on none of the excluded
lists and with none of the excluded tags. Attribute filters: `eq` and `ne` compare the attribute's text (a number
or true/false as written in JSON), `exists` and `missing` ask whether the contact has the key at all.
"""

from __future__ import annotations

from typing import Any, Final

from django.db.models import Exists, OuterRef, Q, QuerySet

from messaging.errors import MessagingValidationError
from messaging.models import Campaign, Contact, ContactList, ContactListMembership

OPERATORS: Final = ("eq", "ne", "exists", "missing")
MAX_FILTERS: Final = 20
MAX_LISTS: Final = 50


def audience_filters_check(value: Any, *, field: str = "attribute_filters") -> list[dict[str, str]]:
    """The attribute filters normalised, or MessagingValidationError naming the filter at fault."""
    if not isinstance(value, list):
        raise MessagingValidationError("a list of filters", field=field)
    if len(value) > MAX_FILTERS:
        raise MessagingValidationError(f"at most {MAX_FILTERS} filters", field=field)
    checked = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, dict) or set(item) - {"key", "op", "value"}:
            raise MessagingValidationError('a filter is {"key", "op", "value"}', field=where)
        key, op = item.get("key"), item.get("op", "eq")
        if not isinstance(key, str) or not key.strip() or len(key) > 64:
            raise MessagingValidationError("key must be an attribute name (1-64 characters)", field=f"{where}.key")
        if op not in OPERATORS:
            raise MessagingValidationError(f"op must be one of {', '.join(OPERATORS)}", field=f"{where}.op")
        filter_value = item.get("value", "")
        if op in ("eq", "ne") and not isinstance(filter_value, str | int | float | bool):
            raise MessagingValidationError("value must be text, a number or true/false", field=f"{where}.value")
        checked.append({"key": key.strip(), "op": op, "value": _text(filter_value) if op in ("eq", "ne") else ""})
    return checked


def _text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def audience_lists_check(list_ids: Any, *, field: str) -> list[int]:
    """The list ids, each naming a list of the tenant."""
    if not isinstance(list_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in list_ids):
        raise MessagingValidationError("a list of list ids", field=field)
    if len(list_ids) > MAX_LISTS:
        raise MessagingValidationError(f"at most {MAX_LISTS} lists", field=field)
    wanted = list(dict.fromkeys(list_ids))
    found = set(ContactList.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise MessagingValidationError(f"no list has id {missing[0]}", field=field)
    return wanted


def _attribute_text(key: str):
    from django.db.models.fields.json import KeyTextTransform

    return KeyTextTransform(key, "attributes")


def audience(campaign: Campaign) -> QuerySet[Contact]:
    """The contacts the campaign reaches, unordered; empty when the campaign names no list, tag or filter."""
    if not (campaign.list_ids or campaign.tags or campaign.attribute_filters):
        return Contact.objects.none()
    contacts = Contact.objects.all()
    include = Q()
    if campaign.list_ids:
        on_lists = ContactListMembership.objects.filter(
            contact_id=OuterRef("pk"), contact_list_id__in=campaign.list_ids
        )
        include |= Q(Exists(on_lists))
    if campaign.tags:
        include |= Q(tags__overlap=campaign.tags)
    if include:
        contacts = contacts.filter(include)
    for index, item in enumerate(campaign.attribute_filters):
        key, op, value = item["key"], item["op"], item["value"]
        if op in ("exists", "missing"):
            condition = Q(attributes__has_key=key)
            contacts = contacts.filter(condition if op == "exists" else ~condition)
        else:
            alias = f"_attribute_{index}"
            contacts = contacts.alias(**{alias: _attribute_text(key)})
            condition = Q(**{alias: value})
            contacts = contacts.filter(condition if op == "eq" else ~condition | Q(**{f"{alias}__isnull": True}))
    if campaign.exclude_list_ids:
        excluded = ContactListMembership.objects.filter(
            contact_id=OuterRef("pk"), contact_list_id__in=campaign.exclude_list_ids
        )
        contacts = contacts.filter(~Exists(excluded))
    if campaign.exclude_tags:
        contacts = contacts.exclude(tags__overlap=campaign.exclude_tags)
    return contacts
