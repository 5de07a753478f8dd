"""Numbers synced from the tenant's subaccount, numbers bought through the gateway, and the test send."""

from __future__ import annotations

from decimal import Decimal

import pytest

from messaging.gateways.base import Credentials
from messaging.models import Sender
from messaging.services import senders as sender_services
from messaging.services import subaccount
from tenants import services as tenant_services
from tenants.selectors import subaccount_auth


def _credentials(tenant) -> Credentials:
    return Credentials(*subaccount_auth(tenant))


@pytest.mark.django_db
def test_sync_adds_new_numbers_updates_known_ones_and_reports_missing(in_tenant_a, fake_gateway):
    # given the subaccount owns a local and a toll-free number, one of them already a sender here
    credentials = _credentials(in_tenant_a)
    local = fake_gateway.provision_number(credentials, phone_number="+14155550123", friendly_name="Front desk")
    toll_free = fake_gateway.provision_number(credentials, phone_number="+18885550111")
    sender_services.sender_register(kind="a2p_10dlc", address="+14155550123", country="US", mps=Decimal(1))
    gone = sender_services.sender_register(
        kind="a2p_10dlc", address="+14155550999", country="US", mps=Decimal(1), twilio_sid="PN" + "9" * 32
    )
    # and another tenant's number, which must not appear
    fake_gateway.provision_number(Credentials("AC" + "e" * 32, "other"), phone_number="+14155550777")
    # when
    report = subaccount.senders_sync(in_tenant_a)
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
    sender = subaccount.number_obtain(in_tenant_a, area_code="415", label="Reminders")
    call = fake_gateway.calls_of("provision_number")[0]
    assert (call["area_code"], call["credentials"].account_sid) == ("415", in_tenant_a.twilio_subaccount_sid)
    # a US local number sends A2P traffic only as 10DLC: it starts with its registration in draft
    assert (sender.kind, sender.country, sender.mps, sender.label, sender.registration_state) == (
        "a2p_10dlc",
        "US",
        Decimal("12.00"),
        "Reminders",
        "draft",
    )
    assert sender.address.startswith("+1415555")
    assert sender.twilio_sid.startswith("PN")


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
    with pytest.raises(subaccount.MessagingValidationError) as raised:
        subaccount.number_obtain(in_tenant_a, **arguments)
    assert (raised.value.field, raised.value.message) == (field, message)
    assert fake_gateway.calls_of("provision_number") == []


@pytest.mark.django_db
def test_a_number_twilio_will_not_sell_is_a_clear_error(in_tenant_a, fake_gateway):
    fake_gateway.script_error("provision_number", 21422)
    with pytest.raises(subaccount.ProviderRefused) as raised:
        subaccount.number_obtain(in_tenant_a, phone_number="+14155550100")
    assert (raised.value.twilio_code, raised.value.field, raised.value.status) == (21422, "phone_number", 422)
    assert not Sender.objects.filter(address="+14155550100").exists()


@pytest.mark.django_db
def test_test_send_goes_out_from_the_sender_with_the_subaccount_credentials(in_tenant_a, fake_gateway):
    sender = sender_services.sender_register(kind="long_code", address="+14165550100", country="CA", mps=Decimal(1))
    result = subaccount.sender_test_send(in_tenant_a, sender=sender, to="(415) 555-0199", body="Hello")
    (call,) = fake_gateway.calls_of("send")
    assert (call["message"].to, call["message"].from_, call["message"].body) == (
        "+14155550199",
        "+14165550100",
        "Hello",
    )
    assert call["credentials"].account_sid == in_tenant_a.twilio_subaccount_sid
    assert result.status == "queued"


@pytest.mark.django_db
def test_a_suspended_tenant_cannot_send_and_nothing_leaves(in_tenant_a, fake_gateway):
    sender = sender_services.sender_register(kind="long_code", address="+14165550100", country="CA", mps=Decimal(1))
    tenant_services.tenant_suspend(tenant=in_tenant_a, reason="unpaid")
    with pytest.raises(subaccount.TenantNotSending) as raised:
        subaccount.sender_test_send(in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert (raised.value.code, raised.value.status) == ("tenant_suspended", 403)
    assert raised.value.message == (
        "tenant suspended: Acme Appointments cannot send messages until ISV staff reactivate it"
    )
    assert fake_gateway.calls_of("send") == []


@pytest.mark.django_db
def test_an_unverified_toll_free_number_is_refused_before_twilio(in_tenant_a, fake_gateway):
    sender = sender_services.sender_register(kind="toll_free", address="+18445550100", country="US", mps=Decimal(3))
    with pytest.raises(subaccount.SenderNotReady) as raised:
        subaccount.sender_test_send(in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert (raised.value.field, raised.value.status, raised.value.code) == ("sender", 409, "sender_not_registered")
    assert raised.value.message == (
        "+18445550100 cannot send yet: toll-free numbers send only once toll-free verification is approved "
        "(registration is pending)"
    )
    assert fake_gateway.calls_of("send") == []
    # once verified it sends
    sender_services.sender_registration_move(sender=sender, target="verified")
    assert subaccount.sender_test_send(in_tenant_a, sender=sender, to="+14155550199", body="Hello").status == "queued"


@pytest.mark.django_db
def test_a_number_twilio_sold_is_recorded_even_where_local_numbering_data_lags(in_tenant_a, fake_gateway):
    # +1 999 is no area code in the numbering data this machine has; Twilio sold it all the same
    sender = subaccount.number_obtain(in_tenant_a, area_code="999")
    assert sender.address.startswith("+1999555")
    assert Sender.objects.filter(address=sender.address, twilio_sid=sender.twilio_sid).count() == 1


@pytest.mark.django_db
def test_a_twilio_outage_is_a_bad_gateway_not_the_callers_fault(in_tenant_a, fake_gateway):
    fake_gateway.script_error("provision_number", 20500)
    with pytest.raises(subaccount.ProviderRefused) as raised:
        subaccount.number_obtain(in_tenant_a, area_code="415")
    assert (raised.value.twilio_code, raised.value.status) == (20500, 502)
