"""Sender plans: saving the wizard's recommendation and provisioning each country's top-ranked sender."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from messaging.domain.recommend import RecommendationInputError
from messaging.errors import MessagingValidationError
from messaging.models import Sender, SenderPlan
from messaging.services import plans
from messaging.services.subaccount import TenantNotSending
from tenants import services as tenant_services
from tenants.models import AuditEvent

NOT_AVAILABLE = (
    "Phone number not available (code 21422, HTTP 400): The phone number asked for cannot be bought (already taken, "
    "or none free in that area code)."
)


def answers(**changes) -> dict:
    """The acceptance case: one-time passcodes to the US and the UK, one-way, 50,000 a day, 2,000 in 10 min, 2 weeks."""
    return {
        "use_case": "otp",
        "two_way": False,
        "countries": ["US", "UK"],
        "daily_volume": 50_000,
        "peak_messages": 2_000,
        "peak_window_seconds": 600,
        "go_live": timezone.localdate() + timedelta(days=14),
        **changes,
    }


def plan_for(**changes) -> SenderPlan:
    return plans.plan_save(name="", data=answers(**changes), created_by="admin@acme.test")


def outcomes(plan: SenderPlan) -> list[tuple[str, str | None, str]]:
    return [(entry["country"], entry["sender_type"], entry["outcome"]) for entry in plan.provisioning_log]


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
    with pytest.raises(RecommendationInputError) as refused:
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


# --- provisioning -----------------------------------------------------------------------------------------------


def test_the_acceptance_plan_provisions_a_10dlc_number_and_a_sender_id(in_tenant_a, fake_gateway):
    # given
    plan = plan_for()
    # when
    plans.plan_provision(in_tenant_a, plan, actor_label="admin@acme.test")
    # then: a US number bought in the default area code, registered as A2P 10DLC in draft
    (call,) = fake_gateway.calls_of("provision_number")
    assert (call["area_code"], call["phone_number"], call["credentials"].account_sid) == (
        "415",
        None,
        in_tenant_a.twilio_subaccount_sid,
    )
    tendlc = Sender.objects.get(kind="a2p_10dlc")
    assert re.fullmatch(r"\+1415555\d{4}", tendlc.address)
    assert fake_gateway.numbers[tendlc.twilio_sid].phone_number == tendlc.address
    assert (tendlc.country, tendlc.mps, tendlc.registration_state, tendlc.label, tendlc.two_way) == (
        "US",
        Decimal("12.00"),
        "draft",
        "One-time passcodes to US, GB",
        True,
    )
    assert tendlc.synced_at is not None
    # and an alphanumeric sender ID from the tenant's name for the UK
    alpha = Sender.objects.get(kind="alphanumeric")
    assert (alpha.address, alpha.country, alpha.mps, alpha.registration_state, alpha.two_way) == (
        "Acme",
        "GB",
        Decimal("10.00"),
        "",
        False,
    )
    assert Sender.objects.count() == 2
    # and the log and status say so
    plan.refresh_from_db()
    assert plan.status == "provisioned"
    assert plan.provisioned_at is not None
    us, gb = plan.provisioning_log
    assert {key: us[key] for key in ("country", "sender_type", "outcome", "sender_id", "address", "detail")} == {
        "country": "US",
        "sender_type": "a2p_10dlc",
        "outcome": "done",
        "sender_id": tendlc.pk,
        "address": tendlc.address,
        "detail": f"Bought {tendlc.address} (area code 415) as an A2P 10DLC sender, registration draft: register the "
        "brand and the campaign next.",
    }
    assert us["steps"][0] == "Register the brand through the API."
    assert (gb["outcome"], gb["sender_id"], gb["detail"]) == (
        "done",
        alpha.pk,
        "Added the alphanumeric sender ID Acme for the United Kingdom; it needs no registration.",
    )
    # and it is audited in the public schema
    event = AuditEvent.objects.get(action="sender_plan.provisioned")
    assert (event.tenant_id, event.actor_label, event.target) == (
        in_tenant_a.pk,
        "admin@acme.test",
        f"plan {plan.pk}: One-time passcodes to US, GB",
    )
    assert event.details == {"status": "provisioned", "done": ["US", "GB"], "failed": [], "manual": []}


def test_toll_free_numbers_are_bought_in_844_and_start_verification_pending(in_tenant_a, fake_gateway):
    # given: a sole-proprietor 10DLC brand misses 3 MPS, so toll-free ranks first in the US and Canada
    plan = plan_for(
        use_case="transactional",
        countries=["US", "CA"],
        peak_messages=None,
        peak_window_seconds=None,
        required_mps=Decimal(2),
        tendlc_tier="sole_proprietor",
    )
    # when
    plans.plan_provision(in_tenant_a, plan, alphanumeric_id="Acme")
    # then
    assert [call["area_code"] for call in fake_gateway.calls_of("provision_number")] == ["844", "844"]
    senders = list(Sender.objects.order_by("pk"))
    assert [(s.kind, s.country, s.registration_state, s.mps) for s in senders] == [
        ("toll_free", "US", "pending", Decimal("3.00")),
        ("toll_free", "US", "pending", Decimal("3.00")),
    ]
    assert all(re.fullmatch(r"\+1844555\d{4}", s.address) for s in senders)
    plan.refresh_from_db()
    assert outcomes(plan) == [("US", "toll_free", "done"), ("CA", "toll_free", "done")]
    assert plan.provisioning_log[0]["detail"] == (
        f"Bought the toll-free number {senders[0].address}, verification pending: submit toll-free verification "
        "before it sends."
    )


def test_long_codes_are_bought_in_canada_and_left_as_steps_elsewhere(in_tenant_a, fake_gateway):
    # given: two-way conversations to Canada, Germany and Brazil
    plan = plan_for(
        use_case="conversational",
        two_way=True,
        countries=["CA", "DE", "BR"],
        peak_messages=None,
        peak_window_seconds=None,
        required_mps=Decimal("0.5"),
    )
    # when
    plans.plan_provision(in_tenant_a, plan, area_codes={"CA": "604"})
    # then: only the Canadian number is bought
    assert [call["area_code"] for call in fake_gateway.calls_of("provision_number")] == ["604"]
    (sender,) = Sender.objects.all()
    assert (sender.kind, sender.country, sender.mps, sender.registration_state) == ("long_code", "CA", 1, "")
    plan.refresh_from_db()
    assert plan.status == "provisioned"
    assert outcomes(plan) == [
        ("CA", "long_code", "done"),
        ("DE", "long_code", "manual"),
        ("BR", "short_code", "manual"),
    ]
    ca, de, br = plan.provisioning_log
    assert ca["detail"] == f"Bought the local number {sender.address} (area code 604)."
    assert de["detail"] == (
        "Buy a number of Germany in the Twilio console, or with Buy a number on the senders page (give the number), "
        "then sync numbers from Twilio."
    )
    assert de["steps"] == [
        "Buy a local number in the destination country (instant).",
        "Provide proof of identity and a local address: German numbers require them.",
    ]
    assert br["detail"] == (
        "Apply for a short code for Brazil with the short code application form: it takes 6–10 weeks; go-live is in "
        "14 days."
    )
    assert (br["sender_id"], br["address"]) == (None, None)


def test_what_cannot_be_bought_at_once_becomes_a_manual_step(in_tenant_a, fake_gateway):
    plan = plan_for(countries=["AE", "IN", "FR"], peak_messages=None, peak_window_seconds=None, required_mps=1)
    plans.plan_provision(in_tenant_a, plan, alphanumeric_id="ACME OTP")
    plan.refresh_from_db()
    assert outcomes(plan) == [
        ("AE", "alphanumeric_registered", "manual"),
        ("IN", "international_long_code", "manual"),
        ("FR", None, "manual"),
    ]
    assert [entry["detail"] for entry in plan.provisioning_log] == [
        "Pre-register the alphanumeric sender ID ACME OTP for the United Arab Emirates with Twilio: its lead time is "
        "country specific; go-live is in 14 days. Add it as a sender once approved.",
        "Send to India from one of your numbers of another country, or buy one with Buy a number on the senders page.",
        "No sender type fits this request for FR: change the request or ask ISV staff.",
    ]
    assert plan.status == "provisioned"
    assert Sender.objects.count() == 0
    assert fake_gateway.calls_of("provision_number") == []


def test_one_sender_id_serves_every_country_that_takes_it(in_tenant_a, fake_gateway):
    plan = plan_for(countries=["GB", "DE"])
    plans.plan_provision(in_tenant_a, plan)
    (alpha,) = Sender.objects.all()
    plan.refresh_from_db()
    assert [(e["country"], e["outcome"], e["sender_id"]) for e in plan.provisioning_log] == [
        ("GB", "done", alpha.pk),
        ("DE", "done", alpha.pk),
    ]
    assert plan.provisioning_log[1]["detail"] == (
        "The alphanumeric sender ID Acme is a sender already; it sends to Germany too."
    )


def test_a_number_twilio_will_not_sell_is_logged_as_failed_and_nothing_is_half_made(in_tenant_a, fake_gateway):
    # given
    plan = plan_for()
    fake_gateway.script_error("provision_number", 21422)
    # when
    plans.plan_provision(in_tenant_a, plan)
    # then: the US step failed with Twilio's explanation, and no 10DLC sender exists
    plan.refresh_from_db()
    assert plan.status == "partly_provisioned"
    assert outcomes(plan) == [("US", "a2p_10dlc", "failed"), ("GB", "alphanumeric_unregistered", "done")]
    failed = plan.provisioning_log[0]
    assert (failed["detail"], failed["sender_id"], failed["address"]) == (NOT_AVAILABLE, None, None)
    assert list(Sender.objects.values_list("kind", flat=True)) == ["alphanumeric"]
    assert AuditEvent.objects.get(action="sender_plan.provisioned").details == {
        "status": "partly_provisioned",
        "done": ["GB"],
        "failed": ["US"],
        "manual": [],
    }
    # when it is started again, only the failed country is retried
    plans.plan_provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert plan.status == "provisioned"
    assert outcomes(plan) == [
        ("US", "a2p_10dlc", "failed"),
        ("GB", "alphanumeric_unregistered", "done"),
        ("US", "a2p_10dlc", "done"),
    ]
    assert len(fake_gateway.calls_of("provision_number")) == 2
    assert sorted(Sender.objects.values_list("kind", flat=True)) == ["a2p_10dlc", "alphanumeric"]


def test_a_plan_where_everything_failed_goes_back_to_draft(in_tenant_a, fake_gateway):
    plan = plan_for(countries=["US"])
    fake_gateway.script_error("provision_number", 21422)
    plans.plan_provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert (plan.status, outcomes(plan)) == ("draft", [("US", "a2p_10dlc", "failed")])
    assert Sender.objects.count() == 0


def test_a_provisioned_plan_cannot_start_again(in_tenant_a, fake_gateway):
    plan = plan_for()
    plans.plan_provision(in_tenant_a, plan)
    with pytest.raises(plans.PlanNotProvisionable) as refused:
        plans.plan_provision(in_tenant_a, plan)
    assert (refused.value.status, refused.value.message) == (
        409,
        "plan 'One-time passcodes to US, GB' is provisioned already: see its log",
    )
    assert len(fake_gateway.calls_of("provision_number")) == 1


def test_a_plan_being_provisioned_is_not_started_twice(in_tenant_a, fake_gateway):
    plan = plan_for()
    SenderPlan.objects.filter(pk=plan.pk).update(
        status=SenderPlan.Status.PROVISIONING, provisioning_started_at=timezone.now() - timedelta(minutes=9)
    )
    with pytest.raises(plans.PlanNotProvisionable) as refused:
        plans.plan_provision(in_tenant_a, plan)
    assert refused.value.message == "plan 'One-time passcodes to US, GB' is being provisioned right now"
    assert fake_gateway.calls_of("provision_number") == []
    assert Sender.objects.count() == 0


def test_a_run_that_died_may_be_started_again_after_ten_minutes(in_tenant_a, fake_gateway):
    plan = plan_for()
    SenderPlan.objects.filter(pk=plan.pk).update(
        status=SenderPlan.Status.PROVISIONING, provisioning_started_at=timezone.now() - timedelta(minutes=11)
    )
    plan.refresh_from_db()
    assert plans.plan_provisionable(plan) is True
    plans.plan_provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert plan.status == "provisioned"
    assert outcomes(plan) == [("US", "a2p_10dlc", "done"), ("GB", "alphanumeric_unregistered", "done")]


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
    in_tenant_a, fake_gateway, options, field, message
):
    plan = plan_for()
    with pytest.raises(MessagingValidationError) as refused:
        plans.plan_provision(in_tenant_a, plan, **options)
    assert (refused.value.field, refused.value.message) == (field, message)
    plan.refresh_from_db()
    assert (plan.status, plan.provisioning_log) == ("draft", [])
    assert fake_gateway.calls == []
    assert Sender.objects.count() == 0


def test_a_suspended_tenant_provisions_nothing(in_tenant_a, fake_gateway):
    plan = plan_for()
    tenant_services.tenant_suspend(tenant=in_tenant_a)
    with pytest.raises(TenantNotSending):
        plans.plan_provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert (plan.status, plan.provisioning_log) == ("draft", [])
    assert fake_gateway.calls_of("provision_number") == []
    assert Sender.objects.count() == 0
    assert not AuditEvent.objects.filter(action="sender_plan.provisioned").exists()


def test_the_provisioning_form_asks_only_what_the_pending_countries_need(in_tenant_a, fake_gateway):
    plan = plan_for(countries=["US", "GB", "DE"])
    assert plans.plan_provisioning_needs(plan) == plans.ProvisioningNeeds(("US",), True)
    fake_gateway.script_error("provision_number", 21422)
    plans.plan_provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert plans.plan_provisioning_needs(plan) == plans.ProvisioningNeeds(("US",), False)
    assert plans.plan_provisionable(plan) is True


def test_each_step_is_kept_as_it_ends_so_a_dead_run_never_buys_twice(in_tenant_a, fake_gateway, monkeypatch):
    plan = plan_for()
    # given a run whose process dies after its steps, before it could record the end of the run
    monkeypatch.setattr(plans, "_finish", lambda *args, **kwargs: None)
    plans.plan_provision(in_tenant_a, plan)
    monkeypatch.undo()
    stored = SenderPlan.objects.get(pk=plan.pk)
    assert stored.status == "provisioning"
    assert [(e["country"], e["outcome"]) for e in stored.provisioning_log] == [("US", "done"), ("GB", "done")]
    # when the dead run is started again
    SenderPlan.objects.filter(pk=plan.pk).update(provisioning_started_at=timezone.now() - timedelta(minutes=11))
    plans.plan_provision(in_tenant_a, SenderPlan.objects.get(pk=plan.pk))
    # then nothing is bought again and the plan ends provisioned
    assert len(fake_gateway.calls_of("provision_number")) == 1
    assert SenderPlan.objects.get(pk=plan.pk).status == "provisioned"
    assert Sender.objects.filter(kind="a2p_10dlc").count() == 1
