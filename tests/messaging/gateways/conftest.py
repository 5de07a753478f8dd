"""Fixtures of the gateway tests: a TwilioGateway on the local sandbox, and a subaccount's credentials there."""

from __future__ import annotations

import pytest

from messaging.gateways.base import Credentials
from messaging.gateways.twilio import TwilioGateway


@pytest.fixture
def gateway(sandbox) -> TwilioGateway:
    return sandbox.gateway()


@pytest.fixture
def tenant(sandbox_tenant) -> Credentials:
    return Credentials(sandbox_tenant.sid, sandbox_tenant.auth_token)
