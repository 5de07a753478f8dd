"""What the messaging API tests share: a call with an API key, and the wizard's acceptance request."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.factories import plan_answers


def call(client, key, method, url, payload=None):
    """`client.<method>(url)` with a JSON body and `Authorization: Bearer <key>`."""
    return getattr(client, method)(
        url, payload or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def go_live_in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def acceptance_body() -> dict:
    """The wizard's acceptance request (see `plan_answers`) as JSON: the go-live date written out."""
    return {**plan_answers(), "go_live": go_live_in(14)}
