"""Sender plans: the wizard's recommendation, saved, and the start of a provisioning run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from messaging.errors import MessagingValidationError, PlanNotProvisionable, TenantNotSending
from messaging.models import SenderPlan
from messaging.services import plans
from tenants.models import AuditEvent
from tenants.services import lifecycle
from tests.factories import SenderPlanFactory, UserFactory, plan_answers


def answers(**changes) -> dict:
    return plan_answers(**changes)


def plan_for(**changes) -> SenderPlan:
    return SenderPlanFactory(tenant=connection.tenant, answers=plan_answers(**changes))


# --- recommendation and saving ----------------------------------------------------------------------------------


def test_uk_is_read_as_gb_and_the_top_choices_are_those_of_the_acceptance_case(in_tenant_a):
    recommendation = plans.recommendation_for(answers())
    assert recommendation.request.countries == ("US", "GB")
    assert recommendation.request.today == timezone.localdate()
    assert (recommendation.needed_mps, recommendation.country("US").recommended) == (4, "a2p_10dlc")
    assert recommendation.country("GB").recommended == "alphanumeric_unregistered"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"daily_volume": None}, "daily_volume", "is required"),
        ({"countries": "US"}, "countries", "must list at least one country"),
        ({"countries": ["UK", "GB"]}, "countries", "GB is listed twice"),
    ],
)
def test_a_refused_answer_names_its_field(in_tenant_a, changes, field, message):
    with pytest.raises(MessagingValidationError) as refused:
        plans.plan_save(name="x", data=answers(**changes))
    assert (refused.value.field, refused.value.message) == (field, message)
    assert SenderPlan.objects.count() == 0


def test_a_plan_keeps_the_request_and_the_recommendation(in_tenant_a):
    plan = plan_for()
    assert (plan.name, plan.status, plan.created_by, plan.provisioning_log) == (
        "One-time passcodes to US, GB",
        "draft",
        "admin@acme.test",
        [],
    )
    assert plan.request == plan.recommendation["request"]
    assert plan.request["go_live"] == (timezone.localdate() + timedelta(days=14)).isoformat()
    assert [c["recommended"] for c in plan.recommendation["countries"]] == ["a2p_10dlc", "alphanumeric_unregistered"]


def test_a_plan_name_too_long_is_refused(in_tenant_a):
    with pytest.raises(MessagingValidationError) as refused:
        plans.plan_save(name="x" * 121, data=answers())
    assert (refused.value.field, refused.value.message) == ("name", "name must be at most 120 characters")
    assert SenderPlan.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "sender_id"),
    [
        ("Acme Appointments", "Acme"),
        ("Big Red Bus Co", "Big Red Bus"),
        ("Supercalifragilistic Ltd", "Supercalifr"),
        ("A-1 Taxis", "A 1 Taxis"),
        ("123 456", "SMS"),
        ("!!!", "SMS"),
    ],
)
def test_the_default_alphanumeric_id_comes_from_the_tenant_name(name, sender_id):
    assert plans.default_alphanumeric_id(name) == sender_id


# --- starting a provisioning run --------------------------------------------------------------------------------


def test_starting_claims_the_plan_and_hands_the_run_to_a_task(
    in_tenant_a, fake_gateway, django_capture_on_commit_callbacks
):
    plan = plan_for()
    owner = UserFactory(email="owner@acme.test")
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = plans.plan_provision_start(
            tenant=in_tenant_a, plan=plan, area_codes={"US": "212"}, alphanumeric_id="Acme", actor=owner
        )
    # then: the plan is claimed at once, nothing is bought yet, and one task waits for the commit
    assert started.status == "provisioning"
    assert SenderPlan.objects.get(pk=plan.pk).provisioning_options == {
        "area_codes": {"US": "212", "CA": "416"},
        "alphanumeric_id": "Acme",
        "actor_id": owner.pk,
        "actor_label": "owner@acme.test",
        "in_flight": None,
    }
    assert fake_gateway.calls_of("provision_number") == []
    assert len(callbacks) == 1
    event = AuditEvent.objects.get(action="sender_plan.provisioning_started")
    assert (event.tenant_id, event.actor_id, event.target, event.details) == (
        in_tenant_a.pk,
        owner.pk,
        f"plan {plan.pk}: One-time passcodes to US, GB",
        {"countries": ["US", "GB"]},
    )


def test_a_plan_being_provisioned_is_not_started_twice(in_tenant_a, fake_gateway, django_capture_on_commit_callbacks):
    plan = plan_for()
    SenderPlan.objects.filter(pk=plan.pk).update(status=SenderPlan.Status.PROVISIONING)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PlanNotProvisionable) as refused:
        plans.plan_provision_start(tenant=in_tenant_a, plan=plan)
    assert (refused.value.status, refused.value.message) == (
        409,
        "plan 'One-time passcodes to US, GB' is being provisioned right now",
    )
    assert callbacks == []
    assert fake_gateway.calls_of("provision_number") == []


def test_a_provisioned_plan_cannot_start_again(in_tenant_a, fake_gateway, django_capture_on_commit_callbacks):
    plan = plan_for()
    SenderPlan.objects.filter(pk=plan.pk).update(status=SenderPlan.Status.PROVISIONED)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PlanNotProvisionable) as refused:
        plans.plan_provision_start(tenant=in_tenant_a, plan=plan)
    assert refused.value.message == "plan 'One-time passcodes to US, GB' is provisioned already: see its log"
    assert callbacks == []


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"area_codes": {"US": "21"}}, "area_codes.US", "an area code is 3 digits, e.g. 415"),
        ({"area_codes": {"US": "800"}}, "area_codes.US", "800 is a toll-free prefix, not a local area code"),
        ({"area_codes": {"GB": "020"}}, "area_codes.GB", "area codes are given for US and CA only"),
        (
            {"alphanumeric_id": "Far too long an ID"},
            "alphanumeric_id",
            "an alphanumeric sender ID is 1 to 11 letters, digits or spaces, with at least one letter",
        ),
    ],
)
def test_bad_provisioning_inputs_are_refused_before_anything_happens(
    in_tenant_a, fake_gateway, django_capture_on_commit_callbacks, options, field, message
):
    plan = plan_for()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(MessagingValidationError) as refused:
        plans.plan_provision_start(tenant=in_tenant_a, plan=plan, **options)
    assert (refused.value.field, refused.value.message) == (field, message)
    plan.refresh_from_db()
    assert (plan.status, plan.provisioning_log, plan.provisioning_options) == ("draft", [], {})
    assert callbacks == []
    assert fake_gateway.calls == []


def test_a_suspended_tenant_provisions_nothing(in_tenant_a, fake_gateway, django_capture_on_commit_callbacks):
    plan = plan_for()
    lifecycle.tenant_suspend(tenant=in_tenant_a)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TenantNotSending):
        plans.plan_provision_start(tenant=in_tenant_a, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.provisioning_log) == ("draft", [])
    assert callbacks == []
    assert not AuditEvent.objects.filter(action__startswith="sender_plan.").exists()
