"""Request serializers take JSON values at their JSON type only, and the document's patterns say what they take."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rest_framework import serializers

from config.inputs import DecimalInput, InputSerializer, UniqueListField, decimal_string_pattern
from config.openapi import NO_NUL_PATTERN, not_blank_pattern


class Example(InputSerializer):
    flag = serializers.BooleanField(required=False)
    count = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=["a", "b"], required=False)
    day = serializers.DateField(required=False)
    moment = serializers.DateTimeField(required=False)
    counts = serializers.ListField(child=serializers.IntegerField(), required=False)
    names = serializers.DictField(child=serializers.CharField(), required=False)
    maybe = serializers.IntegerField(required=False, allow_null=True)


def errors_of(data: dict) -> dict:
    serializer = Example(data=data)
    assert not serializer.is_valid()
    return {field: [str(message) for message in messages] for field, messages in _flat(serializer.errors)}


def _flat(errors):
    for field, detail in errors.items():
        if isinstance(detail, dict):
            for key, messages in detail.items():
                yield f"{field}.{key}", messages
        else:
            yield field, detail


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"flag": "true"}, {"flag": ["Must be a valid boolean."]}),
        ({"flag": 1}, {"flag": ["Must be a valid boolean."]}),
        ({"count": "5"}, {"count": ["A valid integer is required."]}),
        ({"count": 5.0}, {"count": ["A valid integer is required."]}),
        ({"count": True}, {"count": ["A valid integer is required."]}),
        ({"text": 5}, {"text": ["Not a valid string."]}),
        ({"kind": 1}, {"kind": ['"1" is not a valid choice.']}),
        ({"day": "20250131"}, {"day": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
        (
            {"moment": "2025-01-31 09:30"},
            {
                "moment": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm:ss[.uuuuuu](Z|+HH:MM|-HH:MM)."
                ]
            },
        ),
        (
            {"counts": [1, "2", 3.5]},
            {"counts.1": ["A valid integer is required."], "counts.2": ["A valid integer is required."]},
        ),
        ({"names": {"x": 1}}, {"names.x": ["Not a valid string."]}),
    ],
)
def test_a_value_of_another_json_type_is_refused_with_the_fields_message(data, errors):
    assert errors_of(data) == errors


def test_values_of_their_json_type_pass_and_null_is_left_to_allow_null():
    data = {
        "flag": False,
        "count": 5,
        "text": "5",
        "kind": "a",
        "day": "2025-01-31",
        "moment": "2025-01-31T09:30:00+01:00",
        "counts": [1, 2],
        "names": {"x": "y"},
        "maybe": None,
    }
    serializer = Example(data=data)
    assert serializer.is_valid(), serializer.errors
    assert (serializer.validated_data["count"], serializer.validated_data["maybe"]) == (5, None)


class Rate(InputSerializer):
    mps = DecimalInput(max_value=Decimal(100_000), decimal_places=2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Decimal(3)),
        ("3", Decimal(3)),
        ("0.01", Decimal("0.01")),
        ("100000.00", Decimal(100_000)),
        (100_000, 100_000),
    ],
)
def test_a_decimal_is_a_whole_number_or_a_decimal_string(value, expected):
    serializer = Rate(data={"mps": value})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["mps"] == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2.5, 'must be a whole number or a decimal string such as "4.50"'),
        ("2.505", 'must be a whole number or a decimal string such as "4.50"'),
        (" 2", 'must be a whole number or a decimal string such as "4.50"'),
        ("1e3", 'must be a whole number or a decimal string such as "4.50"'),
        ("-1", 'must be a whole number or a decimal string such as "4.50"'),
        (True, 'must be a whole number or a decimal string such as "4.50"'),
        ("0.00", "must be more than 0"),
        (0, "must be more than 0"),
        (100_001, "must be at most 100,000"),
        ("100000.01", 'must be a whole number or a decimal string such as "4.50"'),
    ],
)
def test_a_decimal_out_of_its_form_or_range_is_refused(value, message):
    serializer = Rate(data={"mps": value})
    assert not serializer.is_valid()
    assert [str(m) for m in serializer.errors["mps"]] == [message]


@pytest.mark.parametrize(
    ("maximum", "places", "matching", "not_matching"),
    [
        (Decimal(100_000), 2, ["1", "0.5", "99999.99", "100000", "100000.00", "007"], ["0", "0.00", "100000.01", ".5"]),
        (Decimal("99999.99"), 2, ["1", "99999.99", "0.01"], ["100000", "0.001", "1.", "+1"]),
    ],
)
def test_the_decimal_string_pattern_is_the_range(maximum, places, matching, not_matching):
    pattern = decimal_string_pattern(maximum, places)
    assert [text for text in matching if re.fullmatch(pattern, text)] == matching
    assert [text for text in not_matching if re.fullmatch(pattern, text)] == []


def test_a_decimal_maximum_needs_a_pattern_that_states_it():
    with pytest.raises(ValueError, match="no decimal pattern for a maximum of 250"):
        decimal_string_pattern(Decimal(250), 2)


def test_a_repeated_item_is_refused_naming_it():
    field = UniqueListField(child=serializers.CharField())
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation(["GB", "US", "GB"])
    assert refused.value.detail == ["GB is listed twice"]


# Every character str.strip() removes, and a few it keeps, against the document's patterns.
WHITESPACE = [chr(code) for code in range(0x3001) if chr(code).isspace()]


@pytest.mark.parametrize("space", WHITESPACE, ids=[f"U+{ord(c):04X}" for c in WHITESPACE])
def test_a_blank_string_is_blank_to_the_pattern_as_to_the_field(space):
    field = serializers.CharField()
    with pytest.raises(serializers.ValidationError):
        field.run_validation(space * 2)
    assert re.search(not_blank_pattern(), space * 2) is None
    assert field.run_validation(f"{space}a{space}") == "a"
    assert re.search(not_blank_pattern(), f"{space}a{space}") is not None


@pytest.mark.parametrize("kept", ["\ufeff", "\u200b", "a"])
def test_characters_that_trimming_keeps_make_a_string_not_blank(kept):
    assert serializers.CharField().run_validation(kept) == kept
    assert re.search(not_blank_pattern(), kept) is not None


def test_no_string_holds_nul_in_the_document_as_in_the_field():
    with pytest.raises(serializers.ValidationError):
        serializers.CharField().run_validation("a\x00b")
    assert (re.search(not_blank_pattern(), "a\x00b"), re.search(NO_NUL_PATTERN, "a\x00b")) == (None, None)
