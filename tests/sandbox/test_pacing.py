"""Per-sender pacing: a sender never lets more segments leave in any one-second window than its MPS."""

from __future__ import annotations

from tests.fixtures.sandbox import wait_for

HANDSET = "+14155551234"
THREE_SEGMENTS = "7" * 307  # GSM-7: 153 + 153 + 1


def _segments_in_window(times: list[float], start: float) -> int:
    return sum(1 for t in times if start <= t < start + 1.0)


def test_a_two_mps_sender_never_exceeds_two_segments_per_second(sandbox, sandbox_tenant):
    # given
    sandbox.update_sender(sandbox_tenant.sender, mps=2)
    client = sandbox_tenant.client
    bodies = [f"one segment {n}" for n in range(5)] + [THREE_SEGMENTS] + [f"one segment {n}" for n in range(5, 10)]

    # when
    sids = [client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=body).sid for body in bodies]

    # then
    messages = wait_for(lambda: _all_left(sandbox, sids), timeout=12)
    times = sorted(t for m in messages for t in m["segment_times"])
    assert len(times) == 13
    assert max(_segments_in_window(times, start) for start in times) == 2
    assert all(later - earlier >= 1.0 - 1e-6 for earlier, later in zip(times, times[2:], strict=False))
    three = next(m for m in messages if m["body"] == THREE_SEGMENTS)
    assert (three["num_segments"], len(three["segment_times"])) == (3, 3)
    assert three["segment_times"][-1] - three["segment_times"][0] >= 1.0 - 1e-6
    assert [m["sid"] for m in sorted(messages, key=lambda m: m["segment_times"][0])] == sids


def _all_left(sandbox, sids: list[str]) -> list[dict] | None:
    messages = [sandbox.message(sid) for sid in sids]
    done = all(len(m["segment_times"]) == m["num_segments"] for m in messages)
    return messages if done else None


def test_an_mps_override_applies_to_the_sender(sandbox, sandbox_tenant):
    # when
    updated = sandbox.update_sender(sandbox_tenant.sender, kind="short_code", mps=100)

    # then
    assert (updated["kind"], updated["mps"]) == ("short_code", 100.0)


def test_provisioned_senders_get_twilio_default_mps(sandbox):
    # when
    senders = [sandbox.provision_sender(address) for address in ("+14155550100", "+18885550100", "12345", "Acme")]

    # then
    assert [(s["kind"], s["mps"]) for s in senders] == [
        ("long_code", 1.0),
        ("toll_free", 3.0),
        ("short_code", 100.0),
        ("alphanumeric", 10.0),
    ]


def test_arrivals_lists_when_each_message_reached_the_api_by_sender(sandbox, sandbox_tenant):
    # given: another account's message, which the filter leaves out
    other = sandbox.create_subaccount("tenant-b")
    sandbox.provision_sender("+14155550177", account_sid=other.sid, mps=50)
    sandbox.client(other.sid, other.auth_token).messages.create(to=HANDSET, from_="+14155550177", body="other")
    before = sandbox.health()["now"]
    client = sandbox_tenant.client

    # when
    client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="one segment")
    client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=THREE_SEGMENTS)
    found = sandbox.control("GET", f"/sandbox/api/arrivals?account_sid={sandbox_tenant.sid}")

    # then
    assert list(found["senders"]) == [sandbox_tenant.sender]
    arrivals = found["senders"][sandbox_tenant.sender]
    assert [segments for _, segments in arrivals] == [1, 3]
    assert before <= arrivals[0][0] <= arrivals[1][0] <= found["now"]
    everyone = sandbox.control("GET", "/sandbox/api/arrivals")["senders"]
    assert sorted(everyone) == [sandbox_tenant.sender, "+14155550177"]
    assert [segments for _, segments in everyone["+14155550177"]] == [1]
