"""A sender plan's provisioning run: each pending country's top-ranked sender obtained where it can be at once."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from messaging.models import Sender, SenderPlan
from messaging.services import plans
from messaging.services.provisioning import LOCK_NAMESPACE, plan_provision_run
from messaging.tasks import tenant_sweep
from tenants.models import AuditEvent
from tests.factories import SenderPlanFactory, plan_answers

NOT_AVAILABLE = (
    "Phone number not available (code 21422, HTTP 400): The phone number asked for cannot be bought (already taken, "
    "or none free in that area code)."
)


def plan_for(**changes) -> SenderPlan:
    return SenderPlanFactory(tenant=connection.tenant, answers=plan_answers(**changes))


def outcomes(plan: SenderPlan) -> list[tuple[str, str | None, str]]:
    return [(entry["country"], entry["sender_type"], entry["outcome"]) for entry in plan.provisioning_log]


@pytest.fixture
def provision(django_capture_on_commit_callbacks):
    """Start a run as the page and the API do, and let its task run when the transaction commits."""

    def start(tenant, plan: SenderPlan, **options) -> SenderPlan:
        with django_capture_on_commit_callbacks(execute=True):
            plans.plan_provision_start(tenant=tenant, plan=plan, **options)
        plan.refresh_from_db()
        return plan

    return start


def test_the_acceptance_plan_provisions_a_10dlc_number_and_a_sender_id(in_tenant_a, fake_gateway, provision):
    # given
    plan = plan_for()
    # when
    before = timezone.now()
    provision(in_tenant_a, plan, actor_label="admin@acme.test")
    after = timezone.now()
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
    assert before <= tendlc.synced_at <= after
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
    assert before <= plan.provisioned_at <= after
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
    assert us["steps"][0] == (
        "Register the brand through the API: Standard, Low-Volume Standard (fewer than 6,000 segments a day) or Sole "
        "Proprietor (no tax ID); Starter brands are no longer registered."
    )
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


def test_toll_free_numbers_are_bought_in_844_and_start_verification_pending(in_tenant_a, fake_gateway, provision):
    # given: a sole-proprietor 10DLC brand misses 3 MPS, so toll-free ranks first in the US and Canada once its
    # verification (10–15 business days) fits before go-live: in 4 weeks (it fitted in 2 at 5–7 business days)
    plan = plan_for(
        use_case="transactional",
        countries=["US", "CA"],
        peak_messages=None,
        peak_window_seconds=None,
        required_mps=Decimal(2),
        tendlc_tier="sole_proprietor",
        go_live=timezone.localdate() + timedelta(days=28),
    )
    # when
    provision(in_tenant_a, plan, alphanumeric_id="Acme")
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


def test_long_codes_are_bought_in_canada_and_left_as_steps_elsewhere(in_tenant_a, fake_gateway, provision):
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
    provision(in_tenant_a, plan, area_codes={"CA": "604"})
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
    # Twilio's Brazilian pages give no short code lead time (it was the sender matrix's 6–10 weeks)
    assert br["detail"] == (
        "Apply for a short code for Brazil with the short code application form: its lead time is country specific; "
        "go-live is in 14 days."
    )
    assert (br["sender_id"], br["address"]) == (None, None)


def test_what_cannot_be_bought_at_once_becomes_a_manual_step(in_tenant_a, fake_gateway, provision):
    # India takes DLT-registered sender IDs; New Zealand has no rule in the catalogue (France has one now)
    plan = plan_for(countries=["AE", "IN", "NZ"], peak_messages=None, peak_window_seconds=None, required_mps=1)
    provision(in_tenant_a, plan, alphanumeric_id="ACME OTP")
    plan.refresh_from_db()
    assert outcomes(plan) == [
        ("AE", "alphanumeric_registered", "manual"),
        ("IN", "alphanumeric_registered", "manual"),
        ("NZ", None, "manual"),
    ]
    assert [entry["detail"] for entry in plan.provisioning_log] == [
        "Pre-register the alphanumeric sender ID ACME OTP for the United Arab Emirates with Twilio: its lead time is "
        "country specific; go-live is in 14 days. Add it as a sender once approved.",
        "Pre-register the alphanumeric sender ID ACME OTP for India with Twilio: its lead time is country specific; "
        "go-live is in 14 days. Add it as a sender once approved.",
        "No sender type fits this request for NZ: change the request or ask ISV staff.",
    ]
    assert plan.status == "provisioned"
    assert Sender.objects.count() == 0
    assert fake_gateway.calls_of("provision_number") == []


def test_one_sender_id_serves_every_country_that_takes_it(in_tenant_a, fake_gateway, provision):
    plan = plan_for(countries=["GB", "DE"])
    provision(in_tenant_a, plan)
    (alpha,) = Sender.objects.all()
    plan.refresh_from_db()
    assert [(e["country"], e["outcome"], e["sender_id"]) for e in plan.provisioning_log] == [
        ("GB", "done", alpha.pk),
        ("DE", "done", alpha.pk),
    ]
    assert plan.provisioning_log[1]["detail"] == (
        "The alphanumeric sender ID Acme is a sender already; it sends to Germany too."
    )


def test_a_number_twilio_will_not_sell_is_logged_as_failed_and_nothing_is_half_made(
    in_tenant_a, fake_gateway, provision
):
    # given
    plan = plan_for()
    fake_gateway.script_error("provision_number", 21422)
    # when
    provision(in_tenant_a, plan)
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
    provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert plan.status == "provisioned"
    assert outcomes(plan) == [
        ("US", "a2p_10dlc", "failed"),
        ("GB", "alphanumeric_unregistered", "done"),
        ("US", "a2p_10dlc", "done"),
    ]
    assert len(fake_gateway.calls_of("provision_number")) == 2
    assert sorted(Sender.objects.values_list("kind", flat=True)) == ["a2p_10dlc", "alphanumeric"]


def test_a_plan_where_everything_failed_goes_back_to_draft(in_tenant_a, fake_gateway, provision):
    plan = plan_for(countries=["US"])
    fake_gateway.script_error("provision_number", 21422)
    provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert (plan.status, outcomes(plan)) == ("draft", [("US", "a2p_10dlc", "failed")])
    assert Sender.objects.count() == 0


def test_the_provisioning_form_asks_only_what_the_pending_countries_need(in_tenant_a, fake_gateway, provision):
    plan = plan_for(countries=["US", "GB", "DE"])
    assert plans.plan_provisioning_needs(plan) == plans.ProvisioningNeeds(("US",), True)
    fake_gateway.script_error("provision_number", 21422)
    provision(in_tenant_a, plan)
    plan.refresh_from_db()
    assert plans.plan_provisioning_needs(plan) == plans.ProvisioningNeeds(("US",), False)
    assert plans.plan_provisionable(plan) is True


def test_a_second_run_finds_the_plan_busy_and_leaves_it_alone(in_tenant_a, fake_gateway, settings):
    plan = plan_for()
    SenderPlan.objects.filter(pk=plan.pk).update(
        status=SenderPlan.Status.PROVISIONING,
        provisioning_options={"area_codes": {"US": "415", "CA": "416"}, "alphanumeric_id": "Acme", "in_flight": None},
    )
    # given another worker holds the plan's lock on its own connection
    database = settings.DATABASES["default"]
    key = f"{LOCK_NAMESPACE}:{in_tenant_a.schema_name}:{plan.pk}"
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=connection.settings_dict["NAME"]
    ) as other:
        other.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [key])
        # when
        result = plan_provision_run(tenant=in_tenant_a, plan_id=plan.pk)
    # then
    assert result is None
    assert fake_gateway.calls_of("provision_number") == []
    assert SenderPlan.objects.get(pk=plan.pk).provisioning_log == []


def test_a_number_bought_by_a_run_that_died_is_adopted_not_bought_again(in_tenant_a, fake_gateway):
    # given a run that marked the US step in flight, bought the number at Twilio, and died before recording it
    plan = plan_for()
    SenderPlan.objects.filter(pk=plan.pk).update(
        status=SenderPlan.Status.PROVISIONING,
        provisioning_options={"area_codes": {"US": "415", "CA": "416"}, "alphanumeric_id": "Acme", "in_flight": "US"},
    )
    credentials = fake_gateway.subaccounts[in_tenant_a.twilio_subaccount_sid].credentials
    bought = fake_gateway.provision_number(credentials, area_code="415", friendly_name=f"switchboard plan {plan.pk} US")
    fake_gateway.calls.clear()
    # when the run is resumed
    plan = plan_provision_run(tenant=in_tenant_a, plan_id=plan.pk)
    # then the number is adopted as the US sender and nothing more is bought
    assert fake_gateway.calls_of("provision_number") == []
    tendlc = Sender.objects.get(kind="a2p_10dlc")
    assert (tendlc.address, tendlc.twilio_sid, tendlc.mps) == (bought.phone_number, bought.sid, Decimal("12.00"))
    assert outcomes(plan) == [("US", "a2p_10dlc", "done"), ("GB", "alphanumeric_unregistered", "done")]
    assert (plan.status, plan.provisioning_options["in_flight"]) == ("provisioned", None)


def test_a_number_in_flight_that_twilio_never_sold_is_bought_now(in_tenant_a, fake_gateway):
    plan = plan_for(countries=["US"])
    SenderPlan.objects.filter(pk=plan.pk).update(
        status=SenderPlan.Status.PROVISIONING,
        provisioning_options={"area_codes": {"US": "415", "CA": "416"}, "alphanumeric_id": "Acme", "in_flight": "US"},
    )
    plan = plan_provision_run(tenant=in_tenant_a, plan_id=plan.pk)
    (call,) = fake_gateway.calls_of("provision_number")
    assert (call["area_code"], call["friendly_name"]) == ("415", f"switchboard plan {plan.pk} US")
    assert outcomes(plan) == [("US", "a2p_10dlc", "done")]


def test_the_sweep_resumes_a_run_whose_wake_up_was_lost(in_tenant_a, fake_gateway):
    # given a plan claimed three minutes ago whose task never ran, and one claimed just now
    stranded, fresh = plan_for(), plan_for(countries=["GB"])
    options = {"area_codes": {"US": "415", "CA": "416"}, "alphanumeric_id": "Acme", "in_flight": None}
    SenderPlan.objects.filter(pk=stranded.pk).update(
        status=SenderPlan.Status.PROVISIONING,
        provisioning_started_at=timezone.now() - timedelta(minutes=3),
        provisioning_options=options,
    )
    SenderPlan.objects.filter(pk=fresh.pk).update(
        status=SenderPlan.Status.PROVISIONING, provisioning_started_at=timezone.now(), provisioning_options=options
    )
    # when
    resumed = tenant_sweep.apply(kwargs={"schema_name": in_tenant_a.schema_name}).get()
    # then only the stranded plan was resumed, and it ran to its end
    assert resumed == {
        "plans": 1,
        "replays": 0,
        "imports": 0,
        "requeued": 0,
        "resolved": 0,
        "webhooks": 0,
        "sequences": 0,
        "campaigns": 0,
    }
    assert SenderPlan.objects.get(pk=stranded.pk).status == "provisioned"
    assert SenderPlan.objects.get(pk=fresh.pk).status == "provisioning"
