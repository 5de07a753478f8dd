"""REST API plumbing shared by every app: RFC 9457 problem responses and cursor pagination."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.errors import ServiceError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://switchboard.dev/problems/"


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
    """Stable pagination over growing tables: newest first, `?cursor=` links, `page_size` up to 500."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500
