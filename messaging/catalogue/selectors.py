"""Reads of the sender catalogue."""

from __future__ import annotations

from decimal import Decimal

_US_CA = {"US", "CA"}
_DEFAULTS = {"long_code": 1, "a2p_10dlc": 1, "toll_free": 3, "short_code": 100, "alphanumeric": 10}


def default_mps(kind: str, country: str) -> Decimal:
    """The default outbound MPS of a sender kind towards its own country."""
    if kind in ("long_code", "a2p_10dlc") and country not in _US_CA:
        return Decimal(10)
    return Decimal(_DEFAULTS.get(kind, 1))
