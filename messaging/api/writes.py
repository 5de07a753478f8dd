"""What the sending endpoints share: an optional id that must name one of the tenant's rows, and a write answered
once per `Idempotency-Key`."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.response import Response

from messaging.errors import UnprocessableInput
from messaging.services.idempotency import idempotent, request_fingerprint


def named_row(queryset, pk: int | None, field: str):
    """The row of `queryset` with this id, None for no id; 422 naming `field` for an id that names none."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise UnprocessableInput(f"no {field} with id {pk}", field=field)
    return found


def answered_once(request, write: Callable[[], tuple[int, dict]]) -> Response:
    """`write()`'s answer; with an Idempotency-Key, the answer stored for that key and request (written once)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        code, body = write()
    else:
        fingerprint = request_fingerprint(method="POST", path=request.path, data=request.data)
        code, body = idempotent(key=key, fingerprint=fingerprint, write=write)
    return Response(body, status=code)
