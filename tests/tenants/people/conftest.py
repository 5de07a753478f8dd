"""Fixtures for the people tests: an empty cache (throttle counters, used codes) and a fixed throttle clock."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.tenants.people.helpers import CLOCK_START


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, frozen at CLOCK_START; `clock.advance(seconds)` moves it on."""
    from tenants.people import throttle

    class Clock:
        now = CLOCK_START

        def __call__(self) -> float:
            return self.now

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


@pytest.fixture
def acme_owner(acme_member):
    return acme_member("owner")


@pytest.fixture
def acme_admin(acme_member):
    return acme_member("admin")
