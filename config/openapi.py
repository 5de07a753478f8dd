"""The OpenAPI conventions every endpoint of both APIs shares, applied by drf-spectacular (DEFAULT_SCHEMA_CLASS).

- Every operation lists the problems (RFC 9457, `application/problem+json`) it can answer: 400, 413 and 415 where
  it reads a body (400 also where it reads query parameters), 401 with `WWW-Authenticate` where it needs a key,
  403 where its permission can refuse, 404 where its path names an object or it pages with a cursor, 429 with
  `Retry-After` where a rate limit applies. What only a service can refuse (409, 422, 502) an operation declares
  with `problem(...)` in its `extend_schema(responses=...)`.
- Its description ends with the access it needs, in the words of the permission classes that check it
  (`describe_access`), and, for a write, whether it accepts `Idempotency-Key` (a view sets
  `accepts_idempotency_key = True` when it does; the header is then documented as a parameter).
- Request schemas say what `config.inputs` validates: a non-blank string has `minLength: 1` and a pattern that
  needs a character the server does not trim away; no string holds U+0000; a `DecimalInput` is a whole number or a
  decimal string; a `UniqueListField` has unique items.
"""

from __future__ import annotations

import functools
import sys

import uritemplate
from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import warn
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from config.api import PROBLEM_CONTENT_TYPE

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
WRITE_METHODS = BODY_METHODS | {"DELETE"}
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_EXTENSION = "x-idempotency-key"
# What `messaging.services.idempotency` accepts: 1 to 255 printable ASCII characters.
IDEMPOTENCY_KEY_PATTERN = r"^[\x20-\x7e]+$"


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field at fault: dotted for an item (`countries.1`)")
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem: every error of the API has this body."""

    type = serializers.CharField(help_text="https://switchboard.dev/problems/<code>")
    title = serializers.CharField()
    status = serializers.IntegerField(help_text="The HTTP status")
    detail = serializers.CharField(help_text="What went wrong, in plain words")
    code = serializers.CharField(help_text="Stable, for programs: validation_failed, not_authenticated, throttled…")
    errors = ProblemFieldErrorSerializer(
        many=True, required=False, help_text="Each field at fault and why, when fields are at fault"
    )


def problem(status: int, description: str) -> dict:
    """A problem an operation's service can answer, for `extend_schema(responses={..., **problem(409, "...")})`."""
    return {(status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=description)}


HEADERS = {
    401: {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "required": True,
            "description": "How to authenticate: `Bearer realm=...`",
        }
    },
    429: {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 0},
            "required": True,
            "description": "Seconds until the limit allows this key's tenant again",
        }
    },
}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the conventions above."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        # After `extend_schema(description=...)` has had its say: the notes follow any description.
        notes = [operation.get("description", ""), *self._access_notes(), self._idempotency_note()]
        operation["description"] = "\n\n".join(note for note in notes if note)
        if self.method in WRITE_METHODS:
            operation[IDEMPOTENCY_EXTENSION] = self._accepts_idempotency_key()
        return operation

    def get_override_parameters(self) -> list:
        parameters = super().get_override_parameters()
        if self.method in WRITE_METHODS and self._accepts_idempotency_key():
            header = OpenApiParameter(
                IDEMPOTENCY_HEADER,
                {"type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN},
                OpenApiParameter.HEADER,
                required=False,
                description="A key of your choosing (at most 255 characters); a retry with the same key and body "
                "gets the first answer again instead of repeating the effect",
            )
            parameters = [*parameters, header]
        return parameters

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        for status, description in self._problems().items():
            responses.setdefault(str(status), self._problem_response(status, description))
        return dict(sorted(responses.items()))

    def _problem_response(self, status: int, description: str) -> dict:
        schema = self.resolve_serializer(ProblemSerializer, "response").ref
        response = {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": schema}}}
        if status in HEADERS:
            response["headers"] = HEADERS[status]
        return response

    def _problems(self) -> dict[int, str]:
        problems: dict[int, str] = {}
        reads_body = self.method in BODY_METHODS and self.get_request_serializer() is not None
        pages = self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
        if reads_body:
            problems[400] = "The body does not match this document: `errors` names each field at fault and why"
            problems[413] = "The body is larger than the API reads"
            problems[415] = "The body is not JSON (`Content-Type: application/json`)"
        if pages or self._reads_query():
            problems[400] = "A query parameter is out of range: `errors` names it"
        if self.view.get_authenticators():
            problems[401] = "No key, or a key that is unknown, revoked, expired or another tenant's on its host"
        refusals = [p.refusal(self.view, self.method) for p in self._described_permissions()]
        if any(refusals):
            problems[403] = "; ".join(refusal for refusal in refusals if refusal)
        not_found = []
        if uritemplate.variables(self.path):
            not_found.append("Nothing with this identifier (for this key)")
        if pages:
            not_found.append("the cursor cannot be read")
        if not_found:
            problems[404] = "; ".join(not_found)
        if self.view.get_throttles():
            problems[429] = "The tenant's API rate limit is spent for this minute: retry after `Retry-After`"
        return problems

    def _reads_query(self) -> bool:
        return any(p["in"] == "query" for p in self._get_parameters())

    def _described_permissions(self) -> list:
        return [p for p in self.view.get_permissions() if hasattr(p, "describe_access")]

    def _access_notes(self) -> list[str]:
        return [f"**Access:** {p.describe_access(self.view, self.method)}" for p in self._described_permissions()]

    def _accepts_idempotency_key(self) -> bool:
        return bool(getattr(self.view, "accepts_idempotency_key", False))

    def _idempotency_note(self) -> str:
        if self.method not in WRITE_METHODS:
            return ""
        if self._accepts_idempotency_key():
            return f"**{IDEMPOTENCY_HEADER}:** accepted; a retry with the same key is answered once."
        return f"**{IDEMPOTENCY_HEADER}:** not accepted; the header is ignored, so a retried request acts again."


# --- request schemas as strict as config.inputs ---------------------------------------------------------------

NO_NUL_PATTERN = r"^[^\u0000]+$"  # drf-spectacular adds the blank string as a branch of its own where allowed


@functools.cache
def not_blank_pattern() -> str:
    """No NUL, and a character that str.strip() (so DRF's trim_whitespace) keeps: a string DRF does not find blank.

    The characters strip() removes are spelled out, as `\\s` means other things in other regular-expression
    engines; computed when a document is first generated, not when the module is imported.
    """
    trimmed = "".join(f"\\u{code:04x}" for code in range(sys.maxunicode + 1) if chr(code).isspace())
    return rf"^[^\u0000]*[^\u0000{trimmed}][^\u0000]*$"


class CharFieldRequestSchema(OpenApiSerializerFieldExtension):
    """A request string: no NUL (DRF refuses it), and when it may not be blank, a character trimming keeps.

    A field with a RegexValidator is described by its regex (which must exclude NUL) and checked here: it must not
    trim (the regex would be matched after trimming, so " US" would pass where the document says it fails), and if
    it may be blank its regex must not match "" (drf-spectacular adds the blank string as a `oneOf` branch of its
    own, and a value matching both branches matches no `oneOf`).
    """

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        regexes = [v.regex for v in field.validators if isinstance(v, RegexValidator)]
        if direction != "request" or {"format", "enum"} & set(schema):
            return schema
        if regexes:
            if field.trim_whitespace:
                warn(f"{field.field_name}: a field with a pattern must not trim whitespace")
            if field.allow_blank and any(regex.search("") for regex in regexes):
                warn(f"{field.field_name}: the pattern of a field that may be blank must not match ''")
            return schema
        if field.allow_blank:
            return {**schema, "pattern": NO_NUL_PATTERN}
        pattern = not_blank_pattern() if field.trim_whitespace else NO_NUL_PATTERN
        return {**schema, "minLength": max(schema.get("minLength", 0), 1), "pattern": pattern}


class DecimalInputSchema(OpenApiSerializerFieldExtension):
    """A whole number within the range, or a decimal string the field's pattern allows."""

    target_class = "config.inputs.DecimalInput"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        text = {"type": "string", "pattern": field.string_pattern, "example": f"{1:.{field.decimal_places}f}"}
        if direction == "response":
            return text
        return {"oneOf": [{"type": "integer", "minimum": 1, "maximum": int(field.maximum)}, text]}


class UniqueListFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "config.inputs.UniqueListField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "uniqueItems": True}
