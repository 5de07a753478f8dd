"""The REST API's only parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): JSON, as the OpenAPI documents say.

A module of its own: DRF imports it while it builds APIView, so it must not import `rest_framework.views`.
"""

from __future__ import annotations

import json

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a lone UTF-16 surrogate (`"\\ud800"` is valid JSON but no character, and
    PostgreSQL cannot store it) as a parse error instead of failing when the text is saved."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise exceptions.ParseError("JSON parse error - a string holds a lone UTF-16 surrogate") from exc
        return data
