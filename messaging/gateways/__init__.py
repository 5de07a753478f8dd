"""The one door to the SMS provider: `get_gateway()` returns the process-wide `SmsGateway`.

Production code calls `get_gateway().send(...)` and handles `errors.GatewayError`; it never imports `twilio`
(only `messaging.gateways.twilio` does, and it is imported here lazily, on first use). Tests replace the gateway
with `install_gateway(FakeGateway())` or, scoped, `with use_gateway(fake): ...`.

The default is a `TwilioGateway` built once from the TWILIO_* Django settings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from messaging.gateways.base import SmsGateway

__all__ = ["SmsGateway", "get_gateway", "install_gateway", "use_gateway"]

_lock = threading.Lock()
_installed: SmsGateway | None = None
_default: SmsGateway | None = None


def get_gateway() -> SmsGateway:
    """The installed gateway if any, else the TwilioGateway configured by settings (built on first use)."""
    global _default
    installed = _installed
    if installed is not None:
        return installed
    with _lock:
        if _default is None:
            from messaging.gateways.twilio import TwilioGateway

            _default = TwilioGateway.from_settings()
        return _default


def install_gateway(gateway: SmsGateway | None) -> None:
    """Use `gateway` for the whole process from now on; None goes back to the settings (re-read on next use)."""
    global _installed, _default
    with _lock:
        _installed = gateway
        _default = None


@contextmanager
def use_gateway(gateway: SmsGateway) -> Iterator[SmsGateway]:
    """Install `gateway` for the duration of the block, then put back whatever was installed before."""
    global _installed
    with _lock:
        previous = _installed
        _installed = gateway
    try:
        yield gateway
    finally:
        with _lock:
            _installed = previous
