"""REST API plumbing shared by every app: RFC 9457 problem responses and cursor pagination."""

from __future__ import annotations

import re
from http import HTTPStatus

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.errors import ServiceError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://switchboard.dev/problems/"
API_PATH_PREFIX = "/api/"
# What a rewritten answer keeps of the one it replaces: how to authenticate, which methods, when to come back.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")
PAGE_SIZE_TEXT = re.compile(r"[0-9]{1,6}")
FALLBACK_DETAILS = {
    404: "Nothing is at this path: see the API's OpenAPI document for its endpoints.",
    413: "The request body is larger than this API reads.",
    500: "The server failed to answer; the failure is logged.",
}


def problem_body(status: int, title: str, detail: str, code: str, **extra) -> dict:
    """The JSON body of an RFC 9457 problem."""
    return {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def problem_response(status: int, title: str, detail: str, code: str, **extra) -> JsonResponse:
    """A problem+json response for code that runs outside DRF (middleware, webhooks)."""
    response = JsonResponse(problem_body(status, title, detail, code, **extra), status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _is_problem(response) -> bool:
    return response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)


def _as_problem(response) -> JsonResponse:
    """The same status (and its Allow, Retry-After, WWW-Authenticate), as a problem with a generic detail."""
    phrase = HTTPStatus(response.status_code).phrase
    detail = FALLBACK_DETAILS.get(response.status_code, phrase + ".")
    problem = problem_response(response.status_code, phrase, detail, phrase.lower().replace(" ", "_"))
    for header in KEPT_HEADERS:
        if header in response:
            problem[header] = response[header]
    return problem


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiProblemMiddleware:
    """Every error under /api/ is problem+json, whichever layer answered: Django's 404 page for an unknown path
    (or its debug page), the 500 page of an unhandled exception, a refusal from another middleware.

    It is the outermost middleware, so it sees every answer. A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused
    with 413 before anything reads it (DRF's JSON parser reads the stream and would not check the limit); the file
    uploads named in API_UPLOAD_LIMITS have their own, larger limit, and their views check the file itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        limit = settings.API_UPLOAD_LIMITS.get(request.path.rstrip("/"), settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if limit is not None and _content_length(request) > limit:
            return problem_response(413, "Request body too large", FALLBACK_DETAILS[413], "request_too_large")
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_problem(response):
            return _as_problem(response)
        return response


def _field_errors(detail) -> list[dict]:
    """Flatten DRF's nested validation errors into [{field, message}] with dotted field paths."""
    errors: list[dict] = []

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            if all(not isinstance(item, (dict, list)) for item in node):
                errors.extend({"field": path or "non_field_errors", "message": str(item)} for item in node)
            else:
                for index, item in enumerate(node):
                    walk(item, f"{path}[{index}]")
        else:
            errors.append({"field": path or "non_field_errors", "message": str(node)})

    walk(detail, "")
    return errors


def service_error_body(exc: ServiceError) -> dict:
    """The problem body of a service's refusal: its status, code and message, and the field at fault if any."""
    extra = {"errors": [{"field": exc.field, "message": exc.message}]} if exc.field else {}
    extra.update(exc.extra)
    return problem_body(exc.status, exc.code.replace("_", " ").capitalize(), exc.message, exc.code, **extra)


def problem_exception_handler(exc, context) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error leaves the API as problem+json."""
    if isinstance(exc, ServiceError):
        return Response(service_error_body(exc), status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        detail = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
        body = problem_body(status, "Invalid request", detail, "validation_failed", errors=errors)
    else:
        code = getattr(exc, "default_code", "error")
        detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else str(getattr(exc, "detail", exc))
        body = problem_body(status, code.replace("_", " ").capitalize(), detail, code)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


class CursorPagination(pagination.CursorPagination):
    """How every list of the API pages: newest first, `{next, previous, results}` with `?cursor=` links, and
    `page_size` from 1 to 500 (50 when not given). A page_size out of range is a 400 naming it; a cursor that cannot be
    read is a 404."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not PAGE_SIZE_TEXT.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            message = f"must be between 1 and {self.max_page_size}"
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, null on the last"},
                "previous": {**link, "description": "The previous page, null on the first"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
            elif parameter["name"] == self.cursor_query_param:
                parameter["description"] = "Where the page starts: the `cursor` of a `next` or `previous` link"
        return parameters


class OldestFirstPagination(CursorPagination):
    """The same pages, oldest first: for a timeline (a message's events) or a short list kept in the order made."""

    ordering = "id"


@extend_schema_field({"type": "string", "minLength": 1})
class TextFilter(django_filters.CharFilter):
    """An exact text filter, documented as not blank (StrictFilterSet refuses a blank one)."""


class StrictFilterSet(django_filters.FilterSet):
    """A list's filters, with a blank value (`?status=`) refused naming the parameter, as the document's formats
    say, rather than read as no filter."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            if name in self.data and "" in values:
                self.form.add_error(name, "must not be blank: leave the parameter out to not filter on it")
                valid = False
        return valid


class PaginatedListMixin:
    """For an APIView whose GET lists: the page as every list of the API gives it (drf-spectacular documents the
    envelope and the query parameters from `pagination_class`)."""

    pagination_class = CursorPagination

    def paginated(self, request, queryset, serializer_class) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)
