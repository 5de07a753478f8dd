"""The sender wizard in the tenant UI: three steps, the recommendation, a saved plan, and provisioning it."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import Sender, SenderPlan
from tests.factories import SenderPlanFactory, in_tenant

pytestmark = pytest.mark.django_db

URL = "/senders/wizard/"

STEP_1 = {"use_case": "otp", "two_way": "false"}
STEP_2 = {
    "countries": "US, UK",
    "daily_volume": "50000",
    "peak_messages": "2000",
    "peak_window_minutes": "10",
    "required_mps": "",
    "segments_per_message": "1",
}


def step_3() -> dict:
    return {
        "go_live": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "priority": "balanced",
        "tendlc_tier": "",
    }


def all_answers(**changes) -> dict:
    return {**STEP_1, **STEP_2, **step_3(), **changes}


def text_of(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', page, re.S)
    assert match, f"no {testid} in the page"
    return " ".join(html.unescape(match.group(1)).split())


def attribute_of(page: str, testid: str, attribute: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*\b{attribute}="([^"]*)"', page)
    assert match, f"no {testid} with {attribute} in the page"
    return match.group(1)


def hidden_inputs(page: str) -> dict[str, str]:
    found = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    found.pop("csrfmiddlewaretoken", None)  # the sign-out form's
    return found


def in_acme(tenant, query):
    with in_tenant(tenant):
        return list(query())


@pytest.fixture
def admin_client(client_a, acme_member):
    client_a.force_login(acme_member("admin"))
    return client_a


def test_an_admin_walks_the_steps_and_gets_the_acceptance_recommendation(admin_client):
    # step 1
    first = admin_client.get(URL)
    assert first.status_code == 200
    assert 'data-testid="wizard-step-1"' in first.content.decode()
    # step 2 carries step 1's answers
    second = admin_client.get(URL, {"step": "1", "action": "next", **STEP_1})
    page = second.content.decode()
    assert (second.status_code, 'data-testid="wizard-step-2"' in page) == (200, True)
    assert hidden_inputs(page) == {"step": "2", **STEP_1}
    # step 3 carries steps 1 and 2
    third = admin_client.get(URL, {"step": "2", "action": "next", **STEP_1, **STEP_2})
    page = third.content.decode()
    assert 'data-testid="wizard-step-3"' in page
    assert hidden_inputs(page) == {"step": "3", **STEP_1, **STEP_2}
    # the recommendation
    result = admin_client.get(URL, {"step": "3", "action": "next", **all_answers()})
    page = result.content.decode()
    assert result.status_code == 200
    assert text_of(page, "needed-mps") == "4"
    assert text_of(page, "summary-countries") == "US, GB"
    assert text_of(page, "summary-peak") == "2,000 messages in 10 min"
    assert attribute_of(page, "recommended-US", "data-sender-type") == "a2p_10dlc"
    assert text_of(page, "recommended-US") == "Recommended: A2P 10DLC"
    assert attribute_of(page, "recommended-GB", "data-sender-type") == "alphanumeric_unregistered"
    ranked = re.findall(r'data-testid="option-(US|GB)-(\d)" data-sender-type="(\w+)"', page)
    assert ranked == [
        ("US", "1", "a2p_10dlc"),
        ("US", "2", "short_code"),
        ("US", "3", "toll_free"),
        ("GB", "1", "alphanumeric_unregistered"),
        ("GB", "2", "long_code"),
        ("GB", "3", "short_code"),
    ]
    # 10DLC and toll-free take 10–15 business days now: no US sender is sure to be ready in 2 weeks, said first
    assert text_of(page, "not-ready-text").startswith("No sender is ready by go-live (")
    assert re.findall(r'class="warning" data-code="(\w+)"', page) == [
        "not_ready_by_go_live",
        "set_validity_period",
        "verification_product",
        "go_live_at_risk",
        "tendlc_trust_score",
        "tendlc_tmobile_daily_cap",
        "lead_time_at_risk",
        "short_code_lead_time",
        "lead_time_at_risk",
        "toll_free_verification",
        "peak_exceeds_throughput",
        "lead_time_at_risk",
        "alphanumeric_no_replies",
        "short_code_lead_time",
        "lead_time_at_risk",
    ]
    assert text_of(page, "throughput-US-1").startswith("12 MPS per sender: 12 MPS for the 4 MPS needed")
    assert text_of(page, "lead-time-US-2").startswith("8–12 weeks")
    assert "One sender gives 12 MPS, enough for the 4 MPS needed at peak." in page
    assert "Starter brands are no longer registered." in page
    assert "UK carriers block numeric sender IDs from outside the UK." in page


def test_saving_the_plan_and_starting_provisioning(
    admin_client, tenant_a, fake_gateway, django_capture_on_commit_callbacks
):
    # given the recommendation on screen
    result = admin_client.get(URL, {"step": "3", "action": "next", **all_answers()})
    carried = hidden_inputs(result.content.decode())
    carried.pop("step")
    # when the plan is saved
    saved = admin_client.post(URL, {**carried, "name": "Passcodes"})
    # then
    (plan,) = in_acme(tenant_a, SenderPlan.objects.all)
    assert (saved.status_code, saved["Location"]) == (302, f"/senders/plans/{plan.pk}/")
    assert (plan.name, plan.status, plan.created_by) == ("Passcodes", "draft", "admin@acme.test")
    page = admin_client.get(saved["Location"]).content.decode()
    assert text_of(page, "plan-status") == "Draft"
    assert 'name="area_code_US" value="415"' in page
    assert 'name="alphanumeric_id" value="Acme"' in page
    # when provisioning starts
    with django_capture_on_commit_callbacks(execute=True):
        started = admin_client.post(
            f"/senders/plans/{plan.pk}/provision/", {"area_code_US": "212", "alphanumeric_id": "Acme"}, follow=True
        )
    # then the page says the run has started and refreshes itself while it goes on
    page = started.content.decode()
    assert started.status_code == 200
    assert "Provisioning started: each country&#x27;s step appears in the log below as it ends." in page
    assert text_of(page, "plan-status") == "Provisioning"
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'data-testid="provisioning-in-progress"' in page
    # and once the task has run, the page shows the plan provisioned
    page = admin_client.get(f"/senders/plans/{plan.pk}/").content.decode()
    assert text_of(page, "plan-status") == "Provisioned"
    assert 'http-equiv="refresh"' not in page
    assert re.findall(r'data-country="(\w+)" data-outcome="(\w+)"', page) == [("US", "done"), ("GB", "done")]
    assert [call["area_code"] for call in fake_gateway.calls_of("provision_number")] == ["212"]
    senders = in_acme(tenant_a, lambda: Sender.objects.values_list("kind", "registration_state"))
    assert sorted(senders) == [("a2p_10dlc", "draft"), ("alphanumeric", "")]
    assert 'data-testid="provision-form"' not in page


def test_a_twilio_refusal_is_shown_in_the_log_not_a_server_error(
    admin_client, tenant_a, fake_gateway, django_capture_on_commit_callbacks
):
    admin_client.post(URL, {**all_answers(), "name": ""})
    (plan,) = in_acme(tenant_a, SenderPlan.objects.all)
    assert plan.name == "One-time passcodes to US, GB"
    fake_gateway.script_error("provision_number", 21422)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/senders/plans/{plan.pk}/provision/", {"area_code_US": "415"})
    response = admin_client.get(f"/senders/plans/{plan.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert text_of(page, "plan-status") == "Partly provisioned"
    assert re.findall(r'data-country="(\w+)" data-outcome="(\w+)"', page) == [("US", "failed"), ("GB", "done")]
    assert "Phone number not available (code 21422, HTTP 400)" in page
    assert "Retry provisioning" in page
    assert in_acme(tenant_a, lambda: Sender.objects.values_list("kind", flat=True)) == ["alphanumeric"]


def test_a_bad_area_code_keeps_the_form_and_names_the_field(admin_client, tenant_a, fake_gateway):
    admin_client.post(URL, all_answers())
    (plan,) = in_acme(tenant_a, SenderPlan.objects.all)
    response = admin_client.post(
        f"/senders/plans/{plan.pk}/provision/", {"area_code_US": "888", "alphanumeric_id": "Acme"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"area_code_US": ["888 is a toll-free prefix, not a local area code"]}
    assert 'name="area_code_US" value="888"' in response.content.decode()
    assert fake_gateway.calls_of("provision_number") == []


def test_a_missing_answer_keeps_everything_typed_and_names_the_field(admin_client):
    response = admin_client.get(URL, {"step": "2", "action": "next", **STEP_1, **STEP_2, "daily_volume": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="wizard-step-2"' in page
    assert text_of(page, "error-daily_volume") == "This field is required."
    assert 'name="countries" value="US, UK"' in page
    assert 'name="peak_messages" value="2000"' in page
    assert hidden_inputs(page) == {"step": "2", **STEP_1}


def test_neither_peak_nor_mps_is_refused_on_step_2(admin_client):
    response = admin_client.get(
        URL, {"step": "2", "action": "next", **STEP_1, **STEP_2, "peak_messages": "", "peak_window_minutes": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "peak_messages": ["Give the peak (messages and minutes) or the required MPS."]
    }


@pytest.mark.parametrize(
    ("changes", "step", "field", "message"),
    [
        ({"peak_messages": "60000"}, 2, "peak_messages", "cannot exceed daily_volume (50,000)"),
        ({"countries": "US, XYZ"}, 2, "countries", "'XYZ' is not a two-letter ISO 3166-1 country code"),
        ({"countries": "UK GB"}, 2, "countries", "GB is listed twice"),
        ({"go_live": "2000-01-01"}, 3, "go_live", None),
        ({"use_case": "spam"}, 1, "use_case", "Select a valid choice. spam is not one of the available choices."),
    ],
)
def test_an_answer_the_recommendation_refuses_goes_back_to_its_step(admin_client, changes, step, field, message):
    response = admin_client.get(URL, {"step": "3", "action": "next", **all_answers(**changes)})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'data-testid="wizard-step-{step}"' in page
    expected = message or f"cannot be before today ({timezone.localdate().isoformat()})"
    assert response.context["form"].errors == {field: [expected]}
    visible = set(response.context["form"].fields)
    assert hidden_inputs(page) == {
        "step": str(step),
        **{name: value for name, value in all_answers(**changes).items() if name not in visible},
    }


def test_back_returns_to_the_previous_step_with_its_answers(admin_client):
    response = admin_client.get(URL, {"step": "4", "action": "back", **all_answers(voice="on")})
    page = response.content.decode()
    assert 'data-testid="wizard-step-3"' in page
    assert 'name="go_live" value="{}"'.format(step_3()["go_live"]) in page
    assert re.search(r'<input type="checkbox" name="voice" id="id_voice" checked>', page)
    back_again = admin_client.get(URL, {"step": "3", "action": "back", **all_answers()})
    assert 'name="countries" value="US, UK"' in back_again.content.decode()


def test_a_plan_is_not_saved_from_bad_answers(admin_client, tenant_a):
    response = admin_client.post(URL, all_answers(countries="US, US"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"countries": ["US is listed twice"]}
    assert in_acme(tenant_a, SenderPlan.objects.all) == []


def test_an_operator_cannot_use_the_wizard(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    assert client_a.get(URL).status_code == 403


def test_the_senders_page_links_to_the_wizard(admin_client):
    page = admin_client.get("/senders/").content.decode()
    assert 'href="/senders/wizard/" data-testid="sender-wizard-link"' in page


def test_another_tenants_plan_is_not_found(admin_client, tenant_b, fake_gateway, django_capture_on_commit_callbacks):
    plan = SenderPlanFactory(tenant=tenant_b, name="Globex plan")
    assert admin_client.get(f"/senders/plans/{plan.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(f"/senders/plans/{plan.pk}/provision/", {"area_code_US": "212"})
    assert response.status_code == 404
    assert (callbacks, fake_gateway.calls_of("provision_number")) == ([], [])
    assert in_acme(tenant_b, lambda: SenderPlan.objects.values_list("status", flat=True)) == ["draft"]


def test_passcodes_in_3_days_show_that_no_sender_is_ready_and_what_to_do_meanwhile(admin_client):
    go_live = (timezone.localdate() + timedelta(days=3)).isoformat()
    answers = all_answers(
        countries="US",
        daily_volume="10000",
        peak_messages="",
        peak_window_minutes="",
        required_mps="20",
        go_live=go_live,
    )
    page = admin_client.get(URL, {"step": "3", "action": "next", **answers}).content.decode()
    assert text_of(page, "not-ready-text").startswith(f"No sender is ready by go-live ({go_live}, in 3 days)")
    meanwhile = re.search(r'data-testid="meanwhile">(.*?)</ul>', page, re.S).group(1)
    assert "Send the passcodes with Twilio Verify meanwhile" in html.unescape(meanwhile)
    assert attribute_of(page, "ready-US", "data-ready") == "false"
    assert page.index('data-testid="not-ready"') < page.index('data-testid="recommendation-summary"')


def test_a_flash_sale_shows_the_unsuitable_senders_with_the_reason(admin_client):
    answers = all_answers(
        use_case="promotional",
        countries="US",
        daily_volume="1000000",
        peak_messages="1000000",
        peak_window_minutes="60",
        go_live=(timezone.localdate() + timedelta(days=90)).isoformat(),
    )
    page = admin_client.get(URL, {"step": "3", "action": "next", **answers}).content.decode()
    assert 'data-testid="not-ready"' not in page
    assert attribute_of(page, "recommended-US", "data-sender-type") == "short_code"
    assert re.findall(r'data-testid="option-US-\d" data-sender-type="(\w+)"', page) == [
        "short_code",
        "toll_free",
        "a2p_10dlc",
    ]
    assert text_of(page, "unsuitable-US-2").startswith("At 3 MPS the peak takes 92 h 35 min 34 s")
    assert text_of(page, "unsuitable-US-3").startswith("At 12 MPS the peak takes 23 h 8 min 54 s")
    assert 'data-testid="unsuitable-US-1"' not in page
    assert page.count("unsuitable for this peak</span>") == 2
    fees = re.search(r'data-testid="fees-US-3">(.*?)</ul>', page, re.S).group(1)
    assert "Carrier fees: on every segment, passed on by Twilio." in html.unescape(fees)


def test_a_validity_period_is_asked_for_and_used(admin_client):
    page = admin_client.get(URL, {"step": "3", "action": "next", **all_answers(validity_period_minutes="1")})
    content = page.content.decode()
    assert text_of(content, "summary-window") == "60 s (the validity period)"
    # 2,000 in 10 minutes at 3 MPS: the last segment waits 67 s, longer than 60
    assert text_of(content, "unsuitable-US-3").startswith("At 3 MPS the peak takes 11 min 7 s")
