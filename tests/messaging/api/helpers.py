"""What the messaging API tests share: a call with an API key, and the wizard's acceptance request."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def call(client, key, method, url, payload=None):
    """`client.<method>(url)` with a JSON body and `Authorization: Bearer <key>`."""
    return getattr(client, method)(
        url, payload or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def go_live_in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def acceptance_body() -> dict:
    """One-time passcodes to the US and the UK, one-way, 50,000 a day, 2,000 in 10 minutes at peak, live in 2 weeks."""
    return {
        "use_case": "otp",
        "two_way": False,
        "countries": ["US", "UK"],
        "daily_volume": 50_000,
        "peak_messages": 2_000,
        "peak_window_seconds": 600,
        "go_live": go_live_in(14),
    }
