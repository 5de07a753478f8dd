"""Resolving an unknown send outcome: adopt what Twilio has, wait, or resend once surely nothing was created."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from messaging.domain.reconcile import Candidate, Decision, reconcile

STARTED = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
TO, FROM, BODY = "+14155550100", "+15017122661", "Your code is 123456"


def candidate(sid="SM1", *, to=TO, from_=FROM, mg=None, body=BODY, seconds=1.0) -> Candidate:
    return Candidate(sid, to, from_, mg, body, STARTED + timedelta(seconds=seconds))


def decide(candidates, *, taken=(), lookups=1, from_=FROM, mg=None):
    return reconcile(
        to=TO,
        from_=from_,
        messaging_service_sid=mg,
        body=BODY,
        attempt_started_at=STARTED,
        candidates=candidates,
        taken_sids=set(taken),
        lookups_done=lookups,
    )


def test_the_message_the_attempt_created_is_adopted():
    assert decide([candidate("SM1")]) == Decision("adopt", "Twilio has the message this attempt created", "SM1")


@pytest.mark.parametrize(
    "other",
    [
        candidate("SM2", to="+14155550199"),
        candidate("SM2", from_="+15017122000"),
        candidate("SM2", body="another body"),
        candidate("SM2", seconds=-60),  # made before this attempt began
        Candidate("SM2", TO, FROM, None, BODY, None),
    ],
    ids=["other-recipient", "other-sender", "other-body", "before-the-attempt", "no-creation-time"],
)
def test_what_this_attempt_did_not_create_is_not_adopted(other):
    assert decide([other]).action == "wait"


def test_a_message_another_row_already_adopted_is_not_taken_twice():
    assert decide([candidate("SM1", seconds=1), candidate("SM2", seconds=2)], taken={"SM1"}).sid == "SM2"


def test_the_earliest_match_wins():
    assert decide([candidate("SM9", seconds=3), candidate("SM4", seconds=2)]).sid == "SM4"


def test_clock_skew_of_a_few_seconds_is_allowed():
    assert decide([candidate("SM1", seconds=-4)]).sid == "SM1"


def test_a_messaging_service_send_is_matched_by_its_service():
    found = Candidate("SM5", TO, "+15017122661", "MG" + "1" * 32, BODY, STARTED + timedelta(seconds=1))
    assert decide([found], from_=None, mg="MG" + "1" * 32).sid == "SM5"
    assert decide([found], from_=None, mg="MG" + "2" * 32).action == "wait"


@pytest.mark.parametrize(
    ("lookups", "action", "reason"),
    [
        (1, "wait", "not found at Twilio after 1 lookup(s); looking again later"),
        (2, "wait", "not found at Twilio after 2 lookup(s); looking again later"),
        (3, "resend", "not found at Twilio after 3 lookups: it was never created"),
    ],
)
def test_nothing_found_waits_then_resends(lookups, action, reason):
    assert decide([], lookups=lookups) == Decision(action, reason)
