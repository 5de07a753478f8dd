"""Runtime configuration of the sandbox: defaults, environment, command-line flags and live updates.

Every knob is a field of `SandboxConfig`. The command line and the `SANDBOX_*` environment variables set the
startup values; `POST /sandbox/api/config` changes them while running, and `POST /sandbox/api/reset` restores the
startup values. Latency ranges are milliseconds `(low, high)`, drawn uniformly from the seeded RNG.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ACCOUNT_SID = "AC00000000000000000000000000000001"
DEFAULT_AUTH_TOKEN = "sandbox0auth0token000000000000001"

# Undelivered ranges: a To number starting with the prefix ends `undelivered` with the code (module docstring).
DEFAULT_UNDELIVERED_RANGES: dict[str, int] = {
    "+1555300": 30003,  # unreachable handset
    "+1555500": 30005,  # unknown handset
    "+1555600": 30006,  # landline or unreachable carrier
    "+1555700": 30007,  # filtered by the carrier
}
# Lookup line types by prefix; everything else valid is `mobile` (toll-free NPAs are `tollFree`).
DEFAULT_LINE_TYPE_RANGES: dict[str, str] = {
    "+1555200": "landline",
    "+1555210": "fixedVoip",
    "+1555220": "nonFixedVoip",
}

Range = tuple[float, float]


@dataclass
class SandboxConfig:
    """Everything that shapes the sandbox's behaviour; mutable at runtime through the control API."""

    account_sid: str = DEFAULT_ACCOUNT_SID
    auth_token: str = DEFAULT_AUTH_TOKEN
    host: str = "127.0.0.1"
    port: int = 8025
    public_url: str = ""  # how the sandbox is reached from outside; defaults to http://localhost:<port>
    seed: int | None = None
    state_dir: str = ""  # when set, accounts, senders, services and opt-outs survive a restart
    concurrency_limit: int = 20  # API requests in flight per account before HTTP 429 / 20429
    request_delay_ms: float = 0.0  # artificial time every API request spends in flight
    accept_latency_ms: Range = (10.0, 50.0)  # accepted -> queued (Messaging Service sends)
    sent_latency_ms: Range = (50.0, 250.0)  # sending -> sent
    delivery_latency_ms: Range = (200.0, 2000.0)  # sent -> delivered | undelivered
    duplicate_callback_probability: float = 0.05
    callback_timeout_ms: float = 5000.0
    callback_retry_delay_ms: float = 100.0
    callback_retries: int = 1  # Twilio's default `rc`; a URL fragment `#rc=N` overrides it per URL
    queue_hours: float = 10.0  # a sender's queue holds this many hours of its MPS, in segments
    price_per_segment: str = "0.00790"
    undelivered_ranges: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_UNDELIVERED_RANGES))
    line_type_ranges: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LINE_TYPE_RANGES))
    # Scripted carrier delays: a To number starting with a prefix waits these sent -> final delays (ms) in turn,
    # per handset, instead of a drawn `delivery_latency_ms`; e.g. [300, 200, 100, 0] delivers four messages sent
    # a few ms apart in reverse order, every time.
    delivery_delays_ms: dict[str, list[float]] = field(default_factory=dict)

    def resolved_public_url(self) -> str:
        """The base URL written into absolute links (v1 `url`, Lookup `url`, the page)."""
        return (self.public_url or f"http://localhost:{self.port}").rstrip("/")

    def copy(self) -> SandboxConfig:
        """An independent copy (the ranges are dicts, so a shallow copy would share them)."""
        return dataclasses.replace(
            self,
            undelivered_ranges=dict(self.undelivered_ranges),
            line_type_ranges=dict(self.line_type_ranges),
            delivery_delays_ms={prefix: list(delays) for prefix, delays in self.delivery_delays_ms.items()},
        )

    def as_json(self) -> dict[str, Any]:
        """The config as JSON, without the main account's token."""
        data = dataclasses.asdict(self)
        data.pop("auth_token")
        return data

    def update(self, changes: Mapping[str, Any]) -> None:
        """Apply a partial update from the control API; unknown or read-only names raise ValueError."""
        for name, value in changes.items():
            if name not in _LIVE_FIELDS:
                raise ValueError(f"unknown or read-only setting: {name}")
            setattr(self, name, _coerce(name, value))


_LIVE_FIELDS = frozenset(
    {
        "concurrency_limit",
        "request_delay_ms",
        "accept_latency_ms",
        "sent_latency_ms",
        "delivery_latency_ms",
        "duplicate_callback_probability",
        "callback_timeout_ms",
        "callback_retry_delay_ms",
        "callback_retries",
        "queue_hours",
        "price_per_segment",
        "undelivered_ranges",
        "line_type_ranges",
        "delivery_delays_ms",
    }
)


def parse_range(value: Any) -> Range:
    """Accept `5`, `"5"`, `"2-8"`, `[2, 8]` as a millisecond range; low must not exceed high."""
    if isinstance(value, (int, float)):
        low = high = float(value)
    elif isinstance(value, str):
        low_text, _, high_text = value.partition("-")
        low = float(low_text)
        high = float(high_text) if high_text else low
    else:
        low, high = (float(part) for part in value)
    if low < 0 or high < low:
        raise ValueError(f"bad latency range: {value!r}")
    return (low, high)


def parse_mapping(value: Any, convert: type) -> dict[str, Any]:
    """Accept a JSON object or `"+1555300=30003,+1555500=30005"` as a prefix mapping."""
    if isinstance(value, Mapping):
        return {str(key): convert(item) for key, item in value.items()}
    pairs = (part.split("=", 1) for part in str(value).split(",") if part.strip())
    return {key.strip(): convert(item.strip()) for key, item in pairs}


def parse_delays(value: Any) -> dict[str, list[float]]:
    """Accept `{"+1415": [300, 0]}` or `"+1415=300/0,+1416=50"` as scripted delays (ms) per number prefix."""
    if isinstance(value, Mapping):
        pairs = [(str(prefix), delays) for prefix, delays in value.items()]
    else:
        pairs = [part.split("=", 1) for part in str(value).split(",") if part.strip()]
        pairs = [(prefix, delays.split("/")) for prefix, delays in pairs]
    parsed = {prefix.strip(): [float(delay) for delay in delays] for prefix, delays in pairs}
    for prefix, delays in parsed.items():
        if not delays or any(delay < 0 for delay in delays):
            raise ValueError(f"delivery_delays_ms of {prefix}: give one or more delays of 0 ms or more")
    return parsed


def _coerce(name: str, value: Any) -> Any:
    if name == "delivery_delays_ms":
        return parse_delays(value)
    if name.endswith("_latency_ms"):
        return parse_range(value)
    if name == "undelivered_ranges":
        return parse_mapping(value, int)
    if name == "line_type_ranges":
        return parse_mapping(value, str)
    if name in {"concurrency_limit", "callback_retries"}:
        return _at_least(int(value), 0, name)
    if name == "duplicate_callback_probability":
        probability = float(value)
        if not 0.0 <= probability <= 1.0:
            raise ValueError("duplicate_callback_probability must be within 0..1")
        return probability
    if name == "price_per_segment":
        return str(value)
    return _at_least(float(value), 0.0, name)


def _at_least(value: Any, minimum: Any, name: str) -> Any:
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}")
    return value


def environment_defaults(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Startup values taken from the environment: TWILIO_* for the main account, SANDBOX_* for the rest."""
    names = {
        "account_sid": "TWILIO_ACCOUNT_SID",
        "auth_token": "TWILIO_AUTH_TOKEN",
        "public_url": "SANDBOX_PUBLIC_URL",
        "seed": "SANDBOX_SEED",
        "concurrency_limit": "SANDBOX_CONCURRENCY_LIMIT",
        "request_delay_ms": "SANDBOX_REQUEST_DELAY_MS",
        "accept_latency_ms": "SANDBOX_ACCEPT_LATENCY_MS",
        "sent_latency_ms": "SANDBOX_SENT_LATENCY_MS",
        "delivery_latency_ms": "SANDBOX_DELIVERY_LATENCY_MS",
        "duplicate_callback_probability": "SANDBOX_DUPLICATE_CALLBACK_PROBABILITY",
        "undelivered_ranges": "SANDBOX_UNDELIVERED_RANGES",
        "line_type_ranges": "SANDBOX_LINE_TYPE_RANGES",
        "delivery_delays_ms": "SANDBOX_DELIVERY_DELAYS_MS",
    }
    return {name: environ[variable] for name, variable in names.items() if environ.get(variable)}
