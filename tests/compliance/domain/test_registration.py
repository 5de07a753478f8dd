import pytest

from compliance.domain.registration import (
    InvalidTransition,
    SendingVerdict,
    initial_state,
    next_states,
    sending_verdict,
    transition,
)


@pytest.mark.parametrize(
    ("kind", "state", "target"),
    [
        ("a2p_10dlc", "draft", "submitted"),
        ("a2p_10dlc", "submitted", "approved"),
        ("a2p_10dlc", "submitted", "rejected"),
        ("a2p_10dlc", "approved", "suspended"),
        ("a2p_10dlc", "rejected", "draft"),
        ("toll_free", "pending", "verified"),
        ("toll_free", "pending", "rejected"),
        ("short_code", "applied", "provisioned"),
    ],
)
def test_allowed_transitions(kind, state, target):
    assert transition(kind, state, target) == target


@pytest.mark.parametrize(
    ("kind", "state", "target", "message"),
    [
        (
            "a2p_10dlc",
            "draft",
            "approved",
            "a2p_10dlc registration cannot go from draft to approved; allowed: submitted",
        ),
        (
            "toll_free",
            "verified",
            "pending",
            "toll_free registration cannot go from verified to pending; allowed: rejected",
        ),
        ("short_code", "provisioned", "applied", "cannot go from provisioned to applied; allowed: none"),
        ("long_code", "", "approved", "long_code registration cannot go from none to approved; allowed: none"),
    ],
)
def test_refused_transitions_name_the_allowed_ones(kind, state, target, message):
    with pytest.raises(InvalidTransition, match=message):
        transition(kind, state, target)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("a2p_10dlc", "draft"),
        ("toll_free", "pending"),
        ("short_code", "applied"),
        ("long_code", ""),
        ("alphanumeric", ""),
    ],
)
def test_initial_states(kind, expected):
    assert initial_state(kind) == expected


@pytest.mark.parametrize(
    ("kind", "state", "verdict"),
    [
        ("a2p_10dlc", "approved", SendingVerdict(True)),
        (
            "a2p_10dlc",
            "submitted",
            SendingVerdict(
                False, "US A2P 10DLC numbers send only under an approved campaign (registration is submitted)", "30034"
            ),
        ),
        (
            "toll_free",
            "pending",
            SendingVerdict(
                False,
                "toll-free numbers send only once toll-free verification is approved (registration is pending)",
                "30032",
            ),
        ),
        ("toll_free", "verified", SendingVerdict(True)),
        (
            "short_code",
            "applied",
            SendingVerdict(
                False, "short codes send only once provisioned by the carriers (registration is applied)", ""
            ),
        ),
        ("long_code", "", SendingVerdict(True)),
        ("alphanumeric", "", SendingVerdict(True)),
    ],
)
def test_sending_verdicts(kind, state, verdict):
    assert sending_verdict(kind, state) == verdict


def test_next_states_of_a_suspended_campaign():
    assert next_states("a2p_10dlc", "suspended") == frozenset({"approved", "draft"})
