"""Request serializers that validate exactly what the OpenAPI document says, so the two cannot drift.

DRF's fields were made for HTML forms as much as for JSON: a string field takes the number 5, an integer field the
string "5", a boolean the string "yes", a date field "20250101". The API reads JSON only, and its document says
`string`, `integer`, `boolean`, `format: date`: `InputSerializer` refuses a value of another JSON type (or a date
not written as RFC 3339 says) with the field's own message, before DRF converts it.

The helpers build fields whose constraints drf-spectacular documents: `one_of` (an enum, refused with the list of
choices), `bounded_int` (minimum and maximum), `object_id` (a database id), `DecimalInput` (a whole number or a
decimal string, see `config.openapi` for its schema), `UniqueListField` (no item twice).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from rest_framework import serializers

RFC3339_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RFC3339_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# (field class, whether a JSON value fits it, the field's error message to refuse it with); first match wins.
JSON_TYPES: tuple[tuple[type[serializers.Field], Callable[[object], bool], str], ...] = (
    (serializers.BooleanField, lambda value: isinstance(value, bool), "invalid"),
    (serializers.IntegerField, _is_int, "invalid"),
    (serializers.DateTimeField, lambda value: isinstance(value, str) and RFC3339_DATE_TIME.fullmatch(value), "invalid"),
    (serializers.DateField, lambda value: isinstance(value, str) and RFC3339_DATE.fullmatch(value), "invalid"),
    (serializers.ChoiceField, lambda value: isinstance(value, str), "invalid_choice"),
    (serializers.CharField, lambda value: isinstance(value, str), "invalid"),
)


def _refusal(field: serializers.Field, key: str, value: object) -> str:
    if isinstance(field, serializers.DateTimeField):
        return field.error_messages[key].format(format="YYYY-MM-DDThh:mm:ss[.uuuuuu](Z|+HH:MM|-HH:MM)")
    if isinstance(field, serializers.DateField):
        return field.error_messages[key].format(format="YYYY-MM-DD")
    return field.error_messages[key].format(input=value)


def json_type_errors(field: serializers.Field, value: object):
    """The field's refusal of a JSON value of another type than the document gives it, or None when it fits.

    Lists and dictionaries are checked item by item, as DRF reports them (`{index: [message]}`)."""
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.ListField | serializers.DictField):
        items = enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else ()
        errors = {key: error for key, item in items if (error := json_type_errors(field.child, item))}
        return errors or None
    for field_class, fits, key in JSON_TYPES:
        if isinstance(field, field_class):
            return None if fits(value) else [_refusal(field, key, value)]
    return None


# The base of every request serializer of the API: JSON values are taken at their JSON type only. (A comment, not
# a docstring: drf-spectacular would show a docstring as the description of every request schema.)
class InputSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name, field in self.fields.items():
                if not field.read_only and name in data:
                    error = json_type_errors(field, data[name])
                    if error:
                        errors[name] = error
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def one_of(values: Iterable[str], **kwargs) -> serializers.ChoiceField:
    """A choice among `values`, refused as 'must be one of a, b, c' (the domain's wording)."""
    values = list(values)
    messages = {"invalid_choice": f"must be one of {', '.join(values)}"}
    return serializers.ChoiceField(choices=values, error_messages=messages, **kwargs)


def bounded_int(low: int, high: int, **kwargs) -> serializers.IntegerField:
    """A whole number from `low` to `high`, refused as 'must be between low and high' (the domain's wording)."""
    message = f"must be between {low:,} and {high:,}"
    messages = {"min_value": message, "max_value": message}
    return serializers.IntegerField(min_value=low, max_value=high, error_messages=messages, **kwargs)


def object_id(**kwargs) -> serializers.IntegerField:
    """The id of a stored object: a whole number from 1 (whether it names one is the service's to say)."""
    return serializers.IntegerField(min_value=1, **kwargs)


class DecimalInput(serializers.DecimalField):
    """A decimal quantity, more than 0 and at most `max_value`, written as a whole number (`4`) or as a decimal
    string (`"4.50"`, at most `decimal_places` places); never as a JSON fraction, which a binary float cannot
    carry exactly. Values above `max_value` fail with `too_large`, zero and below with `not_positive`."""

    default_error_messages = {
        "invalid": 'must be a whole number or a decimal string such as "4.50"',
        "not_positive": "must be more than 0",
        "too_large": "must be at most {max_value}",
    }

    def __init__(self, *, max_value: Decimal, decimal_places: int, **kwargs):
        whole_digits = len(str(int(max_value)))
        super().__init__(max_digits=whole_digits + decimal_places, decimal_places=decimal_places, **kwargs)
        self.maximum = max_value
        self.string_pattern = decimal_string_pattern(max_value, decimal_places)

    def to_internal_value(self, data) -> Decimal:
        if _is_int(data) or (isinstance(data, str) and re.fullmatch(self.string_pattern, data)):
            value = Decimal(data)
        elif isinstance(data, str) and re.fullmatch(r"0*(\.0*)?", data):
            self.fail("not_positive")  # "0" and "0.00": well written, out of range
        else:
            self.fail("invalid")
        if value <= 0:
            self.fail("not_positive")
        if value > self.maximum:
            self.fail("too_large", max_value=f"{self.maximum:,}")
        return value


def decimal_string_pattern(max_value: Decimal, decimal_places: int) -> str:
    """The decimal strings more than 0 and at most `max_value`: a power of ten (100000) or all nines (99999.99)."""
    digits = str(int(max_value))
    fraction = rf"(\.\d{{1,{decimal_places}}})?"
    nonzero = r"(?=[0-9.]*[1-9])"
    if max_value == Decimal(10) ** (len(digits) - 1):
        return rf"^{nonzero}(\d{{1,{len(digits) - 1}}}{fraction}|{digits}(\.0{{1,{decimal_places}}})?)$"
    if max_value == Decimal(10) ** len(digits) - Decimal(1).scaleb(-decimal_places):
        return rf"^{nonzero}\d{{1,{len(digits)}}}{fraction}$"
    raise ValueError(f"no decimal pattern for a maximum of {max_value}: give a power of ten or all nines")


class UniqueListField(serializers.ListField):
    """A list whose items all differ; a repeat is refused as '<item> is listed twice'."""

    def to_internal_value(self, data) -> list:
        items = super().to_internal_value(data)
        seen = set()
        for item in items:
            if item in seen:
                raise serializers.ValidationError(f"{item} is listed twice")
            seen.add(item)
        return items
