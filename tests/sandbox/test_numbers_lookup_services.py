"""IncomingPhoneNumbers, Lookup v2 and Messaging Services of the sandbox through the real `twilio` client."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

HANDSET = "+14155551234"


@pytest.mark.parametrize(
    ("number", "line_type", "national"),
    [
        ("+14155551234", "mobile", "(415) 555-1234"),
        ("+15552001234", "landline", "(555) 200-1234"),
        ("+15552101234", "fixedVoip", "(555) 210-1234"),
        ("+18005551234", "tollFree", "(800) 555-1234"),
        ("+15005550009", "landline", "(500) 555-0009"),
    ],
)
def test_lookup_reports_the_line_type(sandbox_tenant, number, line_type, national):
    # when
    result = sandbox_tenant.client.lookups.v2.phone_numbers(number).fetch(fields="line_type_intelligence")

    # then
    assert (result.valid, result.validation_errors, result.phone_number) == (True, [], number)
    assert (result.calling_country_code, result.country_code, result.national_format) == ("1", "US", national)
    assert result.line_type_intelligence["type"] == line_type


def test_lookup_of_a_mobile_number_names_its_carrier(sandbox_tenant):
    # when
    result = sandbox_tenant.client.lookups.v2.phone_numbers(HANDSET).fetch(fields="line_type_intelligence")

    # then
    assert result.line_type_intelligence == {
        "carrier_name": "Sandbox mobile carrier",
        "error_code": None,
        "mobile_country_code": "310",
        "mobile_network_code": "260",
        "type": "mobile",
    }


@pytest.mark.parametrize(
    ("number", "errors"),
    [
        ("+1415555", ["TOO_SHORT"]),
        ("+99912345678", ["INVALID_COUNTRY_CODE"]),
        ("+14150551234", ["INVALID_BUT_POSSIBLE"]),
    ],
)
def test_lookup_of_an_invalid_number(sandbox_tenant, number, errors):
    # when
    result = sandbox_tenant.client.lookups.v2.phone_numbers(number).fetch(fields="line_type_intelligence")

    # then
    assert (result.valid, result.validation_errors, result.line_type_intelligence) == (False, errors, None)


def test_lookup_without_fields_has_no_line_type(sandbox_tenant):
    # when
    result = sandbox_tenant.client.lookups.v2.phone_numbers(HANDSET).fetch()

    # then
    assert (result.valid, result.line_type_intelligence) == (True, None)


def test_buy_a_number_by_area_code_and_point_its_sms_url(sandbox_tenant):
    # given
    numbers = sandbox_tenant.client.incoming_phone_numbers

    # when
    bought = numbers.create(area_code="212", sms_url="https://app.example.test/inbound")
    updated = numbers(bought.sid).update(sms_url="https://app.example.test/other", sms_method="POST")

    # then
    assert bought.phone_number.startswith("+1212") and len(bought.phone_number) == 12
    assert (bought.sid[:2], bought.sms_url, updated.sms_url) == (
        "PN",
        "https://app.example.test/inbound",
        "https://app.example.test/other",
    )
    assert sorted(n.phone_number for n in numbers.list()) == sorted([sandbox_tenant.sender, bought.phone_number])


def test_a_number_someone_holds_cannot_be_bought(sandbox_tenant):
    # when
    with pytest.raises(TwilioRestException) as raised:
        sandbox_tenant.client.incoming_phone_numbers.create(phone_number=sandbox_tenant.sender)

    # then
    assert (raised.value.status, raised.value.code) == (400, 21422)


def _service_with_pool(client, callback_url: str = ""):
    service = client.messaging.v1.services.create(friendly_name="Notifications", status_callback=callback_url or None)
    number = client.incoming_phone_numbers.create(phone_number="+14155550111")
    client.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=number.sid)
    return service, number


def test_messaging_service_send_is_accepted_then_gets_a_sender(sandbox, sandbox_tenant, callback_receiver):
    # given
    service, number = _service_with_pool(sandbox_tenant.client, callback_receiver.url("/status"))

    # when
    created = sandbox_tenant.client.messages.create(to=HANDSET, messaging_service_sid=service.sid, body="Hi")

    # then
    assert (created.status, created.from_, created.num_segments, created.messaging_service_sid) == (
        "accepted",
        None,
        "0",
        service.sid,
    )
    delivered = sandbox.wait_for_status(created.sid, "delivered")
    assert (delivered["from"], delivered["num_segments"]) == (number.phone_number, 1)
    callbacks = callback_receiver.wait_for(4, path="/status")
    assert [c.form["MessageStatus"] for c in sorted(callbacks, key=_status_order)] == [
        "queued",
        "sending",
        "sent",
        "delivered",
    ]
    assert {c.form["MessagingServiceSid"] for c in callbacks} == {service.sid}


def _status_order(request) -> int:
    return ["queued", "sending", "sent", "delivered"].index(request.form["MessageStatus"])


def test_messaging_service_queue_overflow_fails_after_creation_with_30001(sandbox, sandbox_tenant):
    # given: the pool's only number (1 MPS) holds 2 segments for the next 2 seconds
    service, _ = _service_with_pool(sandbox_tenant.client)
    client = sandbox_tenant.client
    client.messages.create(to=HANDSET, messaging_service_sid=service.sid, body="7" * 307)
    sandbox.wait_for_status(client.messages.list(limit=1)[0].sid, "sending")

    # when
    late = client.messages.create(to=HANDSET, messaging_service_sid=service.sid, body="late", validity_period=2)

    # then
    failed = sandbox.wait_for_status(late.sid, "failed")
    assert (late.status, failed["error_code"], failed["segment_times"]) == ("accepted", 30001, [])


def test_messaging_service_of_another_account_is_refused(sandbox, sandbox_tenant):
    # given
    service, _ = _service_with_pool(sandbox.client())

    # when
    with pytest.raises(TwilioRestException) as raised:
        sandbox_tenant.client.messages.create(to=HANDSET, messaging_service_sid=service.sid, body="Hi")

    # then
    assert (raised.value.status, raised.value.code) == (400, 21701)
    assert sandbox_tenant.client.messaging.v1.services.list() == []


def test_sticky_sender_keeps_a_handset_on_one_pool_number(sandbox, sandbox_tenant):
    # given
    service, first = _service_with_pool(sandbox_tenant.client)
    second = sandbox_tenant.client.incoming_phone_numbers.create(phone_number="+14155550122")
    sandbox_tenant.client.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=second.sid)
    for number in (first, second):
        sandbox.update_sender(number.phone_number, mps=50)

    # when
    sids = [
        sandbox_tenant.client.messages.create(to=HANDSET, messaging_service_sid=service.sid, body=str(n)).sid
        for n in range(3)
    ]

    # then
    senders = {sandbox.wait_for_status(sid, "sending", "sent", "delivered")["from"] for sid in sids}
    assert len(senders) == 1
    assert senders <= {first.phone_number, second.phone_number}
