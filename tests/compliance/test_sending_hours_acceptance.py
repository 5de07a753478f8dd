"""With a fixed clock, messages to London, Los Angeles and Sydney leave now where the local time allows and wait for
their next allowed minute elsewhere; none is dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from compliance.services.settings import settings_update
from messaging.dispatch import sending
from messaging.services.messages import message_send
from tests.factories import SenderFactory

pytestmark = pytest.mark.django_db

LONDON, LOS_ANGELES, SYDNEY = "+442071838750", "+12135550100", "+61291234567"


@pytest.fixture
def send(in_tenant_a, dispatch_index, settings, compliance_strict):
    settings.WEBHOOK_BASE_URL = "https://sb.example.com"
    settings_update(tenant=in_tenant_a, actor_label="owner@acme.test", enabled_countries=["AU", "GB", "US"])
    sending.forget_tenant(in_tenant_a.schema_name)
    sender = SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=10)

    def make(to: str):
        return message_send(tenant=in_tenant_a, to=to, body="Your appointment is tomorrow", sender=sender)

    return make


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        # 17:00 UTC: 17:00 in London and 09:00 in Los Angeles leave now; 04:00 Wednesday in Sydney waits for 08:00
        (datetime(2026, 12, 1, 17, 0, tzinfo=UTC), {
            LONDON: ("queued", None), LOS_ANGELES: ("queued", None),
            SYDNEY: ("scheduled", datetime(2026, 12, 1, 21, 0, tzinfo=UTC)),
        }),
        # 07:00 UTC: 07:00 in London waits an hour; 23:00 in Los Angeles waits for 08:00; 18:00 in Sydney leaves now
        (datetime(2026, 12, 1, 7, 0, tzinfo=UTC), {
            LONDON: ("scheduled", datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
            LOS_ANGELES: ("scheduled", datetime(2026, 12, 1, 16, 0, tzinfo=UTC)),
            SYDNEY: ("queued", None),
        }),
    ],
)  # fmt: skip
def test_each_recipient_gets_its_own_local_time(send, fake_gateway, clock, expected):
    with time_machine.travel(clock, tick=False):
        messages = {to: send(to) for to in expected}
    assert {to: (m.status, m.send_at) for to, m in messages.items()} == expected
    # then each leaves at its minute, and not before
    for to, message in messages.items():
        _status, at = expected[to]
        if at is not None:
            with time_machine.travel(at - timedelta(minutes=1), tick=False):
                assert sending.process("t_acme", message.pk) == "held"  # a minute early: back to its lane
        with time_machine.travel(at or clock, tick=False):
            assert sending.process("t_acme", message.pk) == "accepted"
    assert sorted(call["message"].to for call in fake_gateway.calls_of("send")) == sorted(expected)
