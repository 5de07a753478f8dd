"""Forms of the contact pages (shape only; the contact services check the values and name the field they refuse)."""

from __future__ import annotations

from typing import Any

from django import forms

from messaging import selectors
from messaging.domain.contact_csv import ATTRIBUTE_PREFIX, FIXED_TARGETS, IGNORE, column_key
from messaging.models import Contact, ContactList

TARGET_CHOICES = [
    ("phone", "Phone number"),
    ("name", "Name"),
    ("time_zone", "Time zone"),
    ("tags", "Tags"),
    ("attribute", "Attribute"),
    (IGNORE, "Ignore"),
]
BULK_ACTIONS = [
    ("add_to_list", "Add to list"),
    ("remove_from_list", "Remove from list"),
    ("tag", "Add tag"),
    ("untag", "Remove tag"),
    ("delete", "Delete"),
]


def _lists_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=ContactList.objects.none(), **kwargs)


def split_words(text: str) -> list[str]:
    """Tags typed in one box, separated by commas."""
    return [part.strip() for part in text.split(",") if part.strip()]


class ContactFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search", help_text="Number or name")
    list = _lists_field(required=False, empty_label="Any list")
    tag = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Contact.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list"].queryset = selectors.contact_lists()

    def filters(self) -> dict[str, Any]:
        """Keyword arguments of `selectors.contacts_matching` (none when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        chosen = data.get("list")
        return {
            "list_id": chosen.pk if chosen else None,
            "tag": data.get("tag") or None,
            "status": data.get("status") or None,
            "search": data.get("q") or None,
        }


def attributes_text(attributes: dict[str, Any]) -> str:
    """Attributes as lines of `key: value` for a text box."""
    return "\n".join(f"{key}: {_shown(value)}" for key, value in sorted(attributes.items()))


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ContactForm(forms.Form):
    phone_number = forms.CharField(max_length=32, help_text="E.164, or a number of your default country")
    name = forms.CharField(max_length=500, required=False)
    time_zone = forms.CharField(
        max_length=64, required=False, help_text="IANA, e.g. Europe/Paris; blank: from the number"
    )
    tags = forms.CharField(max_length=2000, required=False, help_text="Separated by commas")
    lists = forms.ModelMultipleChoiceField(
        queryset=ContactList.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    attributes = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: key: value",
    )
    status = forms.ChoiceField(choices=Contact.Status.choices, initial=Contact.Status.ACTIVE)
    unsendable_reason = forms.CharField(max_length=500, required=False, help_text="Why it is unsendable")

    def __init__(self, *args, contact: Contact | None = None, **kwargs):
        self.contact = contact
        if contact is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "phone_number": contact.phone_number, "name": contact.name, "time_zone": contact.time_zone,
                "tags": ", ".join(contact.tags), "lists": list(contact.lists.all()),
                "attributes": attributes_text(contact.attributes), "status": contact.status,
                "unsendable_reason": contact.unsendable_reason,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = selectors.contact_lists()

    def clean_attributes(self) -> dict[str, Any]:
        """`key: value` lines; a value left as shown keeps its type (a number or true/false set through the API)."""
        current = self.contact.attributes if self.contact is not None else {}
        attributes: dict[str, Any] = {}
        for number, line in enumerate(self.cleaned_data["attributes"].splitlines(), start=1):
            if not line.strip():
                continue
            key, colon, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if not colon or not key:
                raise forms.ValidationError(f"line {number}: write key: value")
            attributes[key] = current[key] if key in current and _shown(current[key]) == value else value
        return attributes

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "phone_number": data["phone_number"], "name": data["name"], "time_zone": data["time_zone"],
            "tags": split_words(data["tags"]), "list_ids": [item.pk for item in data["lists"]],
            "attributes": data["attributes"], "status": data["status"],
            "unsendable_reason": data["unsendable_reason"],
        }  # fmt: skip


class IdsField(forms.Field):
    """Ids of the ticked rows (the services act on the tenant's own contacts only)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": "Pick contacts first."}

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if not all(str(item).isdigit() for item in values):
            raise forms.ValidationError("Contacts are picked by their ids.")
        return [int(item) for item in values[:1000]]


class BulkActionForm(forms.Form):
    contact = IdsField()
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    contact_list = _lists_field(required=False, label="List")
    tag = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_list"].queryset = selectors.contact_lists()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in ("add_to_list", "remove_from_list") and not data.get("contact_list"):
            self.add_error("contact_list", "Pick a list.")
        if action in ("tag", "untag") and not (data.get("tag") or "").strip():
            self.add_error("tag", "Type a tag.")
        return data


class ContactListForm(forms.Form):
    name = forms.CharField(max_length=500)
    description = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="UTF-8 (Excel: save as “CSV UTF-8”), a header row naming the columns",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )  # fmt: skip


class ImportMappingForm(forms.Form):
    """A target per column of the file (`target_<i>`, with `key_<i>` naming an attribute), a list and tags."""

    contact_list = _lists_field(required=False, label="Add the contacts to a list", empty_label="No list")
    tags = forms.CharField(max_length=2000, required=False, help_text="Added to every contact; separated by commas")

    def __init__(self, *args, header: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        self.fields["contact_list"].queryset = selectors.contact_lists()
        for index, column in enumerate(header):
            target = mapping.get(column, IGNORE)
            is_attribute = target.startswith(ATTRIBUTE_PREFIX)
            self.fields[f"target_{index}"] = forms.ChoiceField(
                choices=TARGET_CHOICES, label=column or f"(column {index + 1}, no name)",
                initial="attribute" if is_attribute else (target if target in FIXED_TARGETS else IGNORE),
                disabled=not column,
            )  # fmt: skip
            self.fields[f"key_{index}"] = forms.CharField(
                max_length=100, required=False, label="Attribute key",
                initial=target[len(ATTRIBUTE_PREFIX):] if is_attribute else column_key(column)[:64],
            )  # fmt: skip

    def columns(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(column, self[f"target_{i}"], self[f"key_{i}"]) for i, column in enumerate(self.header)]

    def field_of(self, column: str) -> str | None:
        """The form field that holds a column's target."""
        return f"target_{self.header.index(column)}" if column in self.header else None

    def mapping(self) -> dict[str, str]:
        chosen = {}
        for index, column in enumerate(self.header):
            target = self.cleaned_data.get(f"target_{index}") or IGNORE
            if column and target == "attribute":
                target = ATTRIBUTE_PREFIX + (self.cleaned_data.get(f"key_{index}") or "").strip()
            if column:
                chosen[column] = target
        return chosen
