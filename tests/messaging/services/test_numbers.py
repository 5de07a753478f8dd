"""Numbers in the tenant's subaccount: synced as senders, or bought through the gateway."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from messaging.errors import MessagingValidationError, ProviderRefused
from messaging.gateways.base import Credentials
from messaging.models import Sender
from messaging.services import numbers
from tenants.selectors import subaccount_auth
from tests.factories import SenderFactory


def _credentials(tenant) -> Credentials:
    return Credentials(*subaccount_auth(tenant))


@pytest.mark.django_db
def test_sync_adds_new_numbers_updates_known_ones_and_reports_missing(in_tenant_a, fake_gateway):
    # given the subaccount owns a local and a toll-free number, one of them already a sender here
    credentials = _credentials(in_tenant_a)
    local = fake_gateway.provision_number(credentials, phone_number="+14155550123", friendly_name="Front desk")
    toll_free = fake_gateway.provision_number(credentials, phone_number="+18885550111")
    SenderFactory(tenant=in_tenant_a, kind="a2p_10dlc", address="+14155550123", country="US")
    gone = SenderFactory(
        tenant=in_tenant_a, kind="a2p_10dlc", address="+14155550999", country="US", twilio_sid="PN" + "9" * 32
    )
    # and another tenant's number, which must not appear
    fake_gateway.provision_number(Credentials("AC" + "e" * 32, "other"), phone_number="+14155550777")
    # when
    report = numbers.senders_sync(tenant=in_tenant_a)
    # then
    assert (report.added, report.updated, report.missing) == (["+18885550111"], ["+14155550123"], [gone.address])
    rows = {s.address: (s.kind, s.country, s.mps, s.twilio_sid) for s in Sender.objects.all()}
    assert rows == {
        "+14155550123": ("a2p_10dlc", "US", Decimal("1.00"), local.sid),
        "+18885550111": ("toll_free", "US", Decimal("3.00"), toll_free.sid),
        "+14155550999": ("a2p_10dlc", "US", Decimal("1.00"), "PN" + "9" * 32),
    }


@pytest.mark.django_db
def test_buying_a_number_in_an_area_code_makes_it_a_sender(in_tenant_a, fake_gateway):
    sender = numbers.number_obtain(tenant=in_tenant_a, area_code="415", label="Reminders")
    (call,) = fake_gateway.calls_of("provision_number")
    assert (call["area_code"], call["friendly_name"], call["credentials"].account_sid) == (
        "415",
        "Reminders",
        in_tenant_a.twilio_subaccount_sid,
    )
    # a US local number sends A2P traffic only as 10DLC: it starts with its registration in draft
    assert (sender.kind, sender.country, sender.mps, sender.label, sender.registration_state) == (
        "a2p_10dlc",
        "US",
        Decimal("12.00"),
        "Reminders",
        "draft",
    )
    bought = fake_gateway.numbers[sender.twilio_sid]
    assert (sender.address, bought.friendly_name) == (bought.phone_number, "Reminders")
    assert re.fullmatch(r"\+1415555\d{4}", sender.address)


@pytest.mark.django_db
def test_a_bought_number_carries_the_friendly_name_asked_for(in_tenant_a, fake_gateway):
    sender = numbers.number_obtain(tenant=in_tenant_a, area_code="415", label="Reminders", friendly_name="plan 7 US")
    assert fake_gateway.calls_of("provision_number")[0]["friendly_name"] == "plan 7 US"
    assert sender.label == "Reminders"


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ({}, "phone_number", "give either a phone number or an area code"),
        ({"area_code": "41"}, "area_code", "an area code is 3 digits, e.g. 415"),
        (
            {"phone_number": "+14155550100", "area_code": "415"},
            "phone_number",
            "give either a phone number or an area code",
        ),
    ],
)
@pytest.mark.django_db
def test_buying_needs_exactly_one_valid_choice(in_tenant_a, fake_gateway, arguments, field, message):
    with pytest.raises(MessagingValidationError) as raised:
        numbers.number_obtain(tenant=in_tenant_a, **arguments)
    assert (raised.value.field, raised.value.message) == (field, message)
    assert fake_gateway.calls_of("provision_number") == []
    assert Sender.objects.count() == 0


@pytest.mark.django_db
def test_a_number_twilio_will_not_sell_is_a_clear_error(in_tenant_a, fake_gateway):
    fake_gateway.script_error("provision_number", 21422)
    with pytest.raises(ProviderRefused) as raised:
        numbers.number_obtain(tenant=in_tenant_a, phone_number="+14155550100")
    assert (raised.value.twilio_code, raised.value.field, raised.value.status) == (21422, "phone_number", 422)
    assert not Sender.objects.filter(address="+14155550100").exists()


@pytest.mark.django_db
def test_a_number_twilio_sold_is_recorded_even_where_local_numbering_data_lags(in_tenant_a, fake_gateway):
    # +1 999 is no area code in the numbering data this machine has; Twilio sold it all the same
    sender = numbers.number_obtain(tenant=in_tenant_a, area_code="999")
    assert re.fullmatch(r"\+1999555\d{4}", sender.address)
    assert Sender.objects.filter(address=sender.address, twilio_sid=sender.twilio_sid).count() == 1


@pytest.mark.django_db
def test_a_twilio_outage_is_a_bad_gateway_not_the_callers_fault(in_tenant_a, fake_gateway):
    fake_gateway.script_error("provision_number", 20500)
    with pytest.raises(ProviderRefused) as raised:
        numbers.number_obtain(tenant=in_tenant_a, area_code="415")
    assert (raised.value.twilio_code, raised.value.status) == (20500, 502)
    assert Sender.objects.count() == 0
