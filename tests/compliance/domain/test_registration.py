import pytest

from compliance.domain.registration import (
    InvalidTransition,
    MoveNotPermitted,
    Mover,
    SendingVerdict,
    allowed_moves,
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
    assert transition(kind, state, target, by=Mover.STAFF) == target


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
        transition(kind, state, target, by=Mover.STAFF)


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


# --- who may make which move ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "state", "tenant", "staff"),
    [
        ("a2p_10dlc", "draft", {"submitted"}, {"submitted"}),
        ("a2p_10dlc", "submitted", set(), {"approved", "rejected"}),
        ("a2p_10dlc", "approved", set(), {"suspended"}),
        ("a2p_10dlc", "rejected", {"draft"}, {"draft"}),
        ("a2p_10dlc", "suspended", set(), {"approved", "draft"}),
        ("toll_free", "pending", set(), {"verified", "rejected"}),
        ("toll_free", "verified", set(), {"rejected"}),
        ("toll_free", "rejected", {"pending"}, {"pending"}),
        ("short_code", "applied", set(), {"provisioned", "rejected"}),
        ("short_code", "rejected", {"applied"}, {"applied"}),
        ("short_code", "provisioned", set(), set()),
        ("long_code", "", set(), set()),
    ],
)
def test_a_tenant_may_only_submit_and_resubmit_staff_make_every_move(kind, state, tenant, staff):
    assert allowed_moves(kind, state, by=Mover.TENANT) == frozenset(tenant)
    assert allowed_moves(kind, state, by=Mover.STAFF) == frozenset(staff)


@pytest.mark.parametrize(
    ("kind", "state", "target"),
    [("a2p_10dlc", "draft", "submitted"), ("a2p_10dlc", "rejected", "draft"), ("toll_free", "rejected", "pending")],
)
def test_a_tenant_submits_and_resubmits(kind, state, target):
    assert transition(kind, state, target, by=Mover.TENANT) == target


@pytest.mark.parametrize(
    ("kind", "state", "target", "message"),
    [
        (
            "a2p_10dlc",
            "submitted",
            "approved",
            "only ISV staff move this a2p_10dlc registration from submitted to approved, on the decision of the "
            "carriers or Twilio; you may move it to: none",
        ),
        (
            "a2p_10dlc",
            "suspended",
            "approved",
            "only ISV staff move this a2p_10dlc registration from suspended to approved, on the decision of the "
            "carriers or Twilio; you may move it to: none",
        ),
        (
            "toll_free",
            "pending",
            "verified",
            "only ISV staff move this toll_free registration from pending to verified, on the decision of the "
            "carriers or Twilio; you may move it to: none",
        ),
        (
            "short_code",
            "applied",
            "provisioned",
            "only ISV staff move this short_code registration from applied to provisioned, on the decision of the "
            "carriers or Twilio; you may move it to: none",
        ),
    ],
)
def test_a_tenant_cannot_approve_reject_or_suspend(kind, state, target, message):
    with pytest.raises(MoveNotPermitted) as refused:
        transition(kind, state, target, by=Mover.TENANT)
    assert str(refused.value) == message


def test_a_move_the_state_machine_lacks_names_only_the_tenants_own_moves():
    with pytest.raises(InvalidTransition) as refused:
        transition("a2p_10dlc", "draft", "approved", by=Mover.TENANT)
    assert str(refused.value) == "a2p_10dlc registration cannot go from draft to approved; allowed: submitted"
