"""FakeGateway: recording, scripted outcomes, in-memory state; and get_gateway()/use_gateway()."""

from __future__ import annotations

import pytest

import messaging.gateways as gateways
from messaging.gateways import get_gateway, install_gateway, use_gateway
from messaging.gateways.base import (
    Credentials,
    IncomingNumber,
    LineTypeResult,
    OutboundMessage,
    Subaccount,
)
from messaging.gateways.errors import (
    MisconfiguredError,
    OptedOutError,
    PermanentError,
    RetryableError,
    error_for,
)
from messaging.gateways.fake import MAIN_ACCOUNT, FakeGateway
from messaging.gateways.twilio import TwilioGateway

TENANT = Credentials("AC" + "a" * 32, "a" * 32)
OTHER_TENANT = Credentials("AC" + "b" * 32, "b" * 32)
SENDER = "+14155550100"
HANDSET = "+14155551234"


def _message(to: str = HANDSET, **kwargs) -> OutboundMessage:
    return OutboundMessage(to=to, body=kwargs.pop("body", "Your appointment is at 10:00"), from_=SENDER, **kwargs)


@pytest.fixture
def fake() -> FakeGateway:
    return FakeGateway()


def test_a_send_succeeds_with_a_deterministic_sid_and_is_recorded(fake):
    # when
    first = fake.send(TENANT, _message())
    second = fake.send(TENANT, _message(media_urls=("https://m.example/a.png",)))

    # then
    assert (first.sid, first.status, first.num_segments) == ("SM" + "0" * 31 + "1", "queued", 1)
    assert second.sid == "MM" + "0" * 31 + "2"
    assert (first.account_sid, first.to, first.from_) == (TENANT.account_sid, HANDSET, SENDER)
    assert fake.sent == [_message(), _message(media_urls=("https://m.example/a.png",))]
    assert fake.calls_of("send") == [
        {"credentials": TENANT, "message": _message()},
        {"credentials": TENANT, "message": _message(media_urls=("https://m.example/a.png",))},
    ]


def test_a_messaging_service_send_is_accepted_without_segments_yet(fake):
    message = OutboundMessage(to=HANDSET, body="hi", messaging_service_sid="MG" + "1" * 32)

    result = fake.send(TENANT, message)

    assert (result.status, result.num_segments, result.from_) == ("accepted", 0, None)


def test_a_scripted_error_hits_only_its_recipient_and_only_once(fake):
    # given
    fake.script_send(to="+15005550004", error=error_for(21610, 400))

    # when
    with pytest.raises(OptedOutError) as raised:
        fake.send(TENANT, _message(to="+15005550004"))
    other = fake.send(TENANT, _message())
    again = fake.send(TENANT, _message(to="+15005550004"))

    # then
    assert raised.value.code == 21610
    assert [m.to for m in fake.sent] == [HANDSET, "+15005550004"]
    assert (other.status, again.status) == ("queued", "queued")
    assert len(fake.calls_of("send")) == 3


def test_a_rule_without_a_limit_applies_every_time(fake):
    fake.script_send(error=error_for(20429, 429), times=None)

    for _ in range(3):
        with pytest.raises(RetryableError):
            fake.send(TENANT, _message())

    assert fake.sent == []


def test_rules_apply_in_the_order_they_were_scripted(fake):
    # given: a queue of outcomes
    fake.script_send(error=error_for(20429, 429))
    fake.script_send(error=error_for(None, None))
    fake.script_send(status="accepted", num_segments=3)

    # when
    outcomes = []
    for _ in range(4):
        try:
            result = fake.send(TENANT, _message())
            outcomes.append((result.status, result.num_segments))
        except RetryableError as error:
            outcomes.append(error.code)

    # then
    assert outcomes == [20429, None, ("accepted", 3), ("queued", 1)]


def test_any_method_can_be_made_to_fail(fake):
    fake.script_error("create_subaccount", 20003)

    with pytest.raises(MisconfiguredError) as raised:
        fake.create_subaccount("Acme")

    assert (raised.value.code, raised.value.http_status) == (20003, 401)
    assert fake.subaccounts == {}


def test_sent_messages_can_be_fetched_moved_on_and_canceled(fake):
    # given
    delivered = fake.send(TENANT, _message())
    waiting = fake.send(TENANT, _message())

    # when
    fake.set_status(delivered.sid, "undelivered", error_code=30003)
    fetched = fake.fetch_message(TENANT, delivered.sid)
    canceled = fake.cancel_message(TENANT, waiting.sid)

    # then
    assert (fetched.status, fetched.error_code, fetched.direction) == ("undelivered", 30003, "outbound-api")
    assert canceled.status == "canceled"
    with pytest.raises(PermanentError):
        fake.cancel_message(TENANT, delivered.sid)


def test_a_message_of_another_account_is_not_found(fake):
    sent = fake.send(TENANT, _message())

    with pytest.raises(PermanentError) as raised:
        fake.fetch_message(OTHER_TENANT, sent.sid)

    assert (raised.value.code, raised.value.http_status) == (20404, 404)


def test_subaccounts_go_through_their_lifecycle(fake):
    # given
    created = fake.create_subaccount("Acme")

    # when
    found = fake.find_subaccount("Acme")
    suspended = fake.suspend_subaccount(created.sid)
    active = fake.reactivate_subaccount(created.sid)
    closed = fake.close_subaccount(created.sid)

    # then
    assert created == Subaccount(
        "AC5ab0" + "0" * 27 + "1", "active", "Acme", created.auth_token, MAIN_ACCOUNT.account_sid
    )
    assert len(created.auth_token) == 32 and created.auth_token not in repr(created)
    assert found == created
    assert [suspended.status, active.status, closed.status] == ["suspended", "active", "closed"]
    assert fake.find_subaccount("Acme") is None
    with pytest.raises(PermanentError) as raised:
        fake.reactivate_subaccount(created.sid)
    assert raised.value.code == 21479


def test_an_unknown_subaccount_is_not_found(fake):
    with pytest.raises(PermanentError) as raised:
        fake.suspend_subaccount("AC" + "9" * 32)

    assert raised.value.code == 20404


def test_numbers_are_provisioned_listed_and_repointed(fake):
    # when
    by_area = fake.provision_number(TENANT, area_code="415", sms_url="https://a.example/in")
    exact = fake.provision_number(TENANT, phone_number="+14155550199")
    fake.provision_number(OTHER_TENANT, phone_number="+14155550198")
    repointed = fake.set_number_sms_url(TENANT, exact.sid, "https://b.example/in", sms_method="get")

    # then
    assert by_area == IncomingNumber(
        "PN" + "0" * 31 + "1", "+14155550001", TENANT.account_sid, "+14155550001", "https://a.example/in"
    )
    assert (repointed.sms_url, repointed.sms_method) == ("https://b.example/in", "GET")
    assert [n.phone_number for n in fake.list_incoming_numbers(TENANT)] == ["+14155550001", "+14155550199"]


def test_a_taken_number_cannot_be_provisioned_again(fake):
    fake.provision_number(TENANT, phone_number="+14155550199")

    with pytest.raises(PermanentError) as raised:
        fake.provision_number(OTHER_TENANT, phone_number="+14155550199")

    assert raised.value.code == 21422


def test_another_accounts_number_cannot_be_repointed(fake):
    number = fake.provision_number(TENANT, phone_number="+14155550199")

    with pytest.raises(PermanentError):
        fake.set_number_sms_url(OTHER_TENANT, number.sid, "https://evil.example/in")

    assert fake.numbers[number.sid].sms_url == ""


@pytest.mark.parametrize(("area_code", "phone_number"), [(None, None), ("415", "+14155550199")])
def test_provisioning_needs_exactly_one_of_area_code_and_number(fake, area_code, phone_number):
    with pytest.raises(ValueError):
        fake.provision_number(TENANT, area_code=area_code, phone_number=phone_number)

    assert fake.numbers == {}


def test_lookups_default_to_mobile_and_can_be_scripted(fake):
    fake.script_lookup("+14155552000", line_type="landline", carrier_name="Bell")

    assert fake.lookup_line_type(TENANT, HANDSET) == LineTypeResult(HANDSET, True, "mobile", "Fake Mobile", "US")
    assert fake.lookup_line_type(TENANT, "+14155552000").line_type == "landline"
    assert fake.lookup_line_type(TENANT, "555-1234") == LineTypeResult(
        "555-1234", False, None, None, None, ("NOT_A_NUMBER",)
    )


def test_signatures_made_with_sign_are_validated_for_real(fake):
    url = "https://sms.example.com/webhooks/status"
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    signature = fake.sign(TENANT.auth_token, url, params)

    assert fake.validate_signature(auth_token=TENANT.auth_token, url=url, params=params, signature=signature)
    assert not fake.validate_signature(auth_token=OTHER_TENANT.auth_token, url=url, params=params, signature=signature)


# --- get_gateway / install_gateway / use_gateway ---------------------------------------------------------------


@pytest.fixture
def no_installed_gateway(monkeypatch):
    # Whatever the harness installed comes back after the test.
    monkeypatch.setattr(gateways, "_installed", None)
    monkeypatch.setattr(gateways, "_default", None)


def test_without_an_override_the_gateway_is_twilio_configured_from_settings(no_installed_gateway, settings):
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"

    gateway = get_gateway()

    assert isinstance(gateway, TwilioGateway)
    assert gateway.config.api_base_url == "http://127.0.0.1:9"
    assert get_gateway() is gateway


def test_use_gateway_installs_for_the_block_and_restores_what_was_there(no_installed_gateway):
    # given
    outer, inner = FakeGateway(), FakeGateway()
    install_gateway(outer)

    # when
    with use_gateway(inner) as used:
        during = get_gateway()
    after = get_gateway()

    # then
    assert (used, during, after) == (inner, inner, outer)


def test_installing_none_goes_back_to_settings(no_installed_gateway):
    install_gateway(FakeGateway())

    install_gateway(None)

    assert isinstance(get_gateway(), TwilioGateway)


def test_use_gateway_restores_even_when_the_block_fails(no_installed_gateway):
    fake = FakeGateway()

    with pytest.raises(RuntimeError), use_gateway(fake):
        raise RuntimeError("boom")

    assert isinstance(get_gateway(), TwilioGateway)
