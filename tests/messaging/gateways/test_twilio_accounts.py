"""TwilioGateway against the local Twilio sandbox: numbers and Lookup, subaccounts, and the signatures of the
webhooks the sandbox posts, through the real twilio client."""

from __future__ import annotations

import re

import pytest

from messaging.gateways.base import Credentials
from messaging.gateways.errors import (
    MisconfiguredError,
    PermanentError,
)
from messaging.gateways.twilio import TwilioGateway, TwilioGatewayConfig
from tests.messaging.gateways.twilio_helpers import (
    HANDSET,
    assert_error,
    message_for,
    raised_by,
)

pytestmark = pytest.mark.integration


# --- numbers and lookup --------------------------------------------------------------------------------------


def test_numbers_are_provisioned_listed_and_repointed(gateway, sandbox, tenant, sandbox_tenant):
    # when
    by_area = gateway.provision_number(tenant, area_code="415", sms_url="https://sms.example.com/in")
    exact = gateway.provision_number(tenant, phone_number="+14155550177", friendly_name="Front desk")
    repointed = gateway.set_number_sms_url(tenant, exact.sid, "https://sms.example.com/in2")
    listed = gateway.list_incoming_numbers(tenant)

    # then
    assert re.fullmatch(r"\+1415\d{7}", by_area.phone_number)
    assert (by_area.sms_url, by_area.sms_method, by_area.account_sid) == (
        "https://sms.example.com/in",
        "POST",
        tenant.account_sid,
    )
    assert (exact.friendly_name, exact.sms_capable) == ("Front desk", True)
    assert repointed.sms_url == "https://sms.example.com/in2"
    assert {n.phone_number for n in listed} == {sandbox_tenant.sender, by_area.phone_number, "+14155550177"}


def test_a_taken_number_cannot_be_provisioned(gateway, sandbox_tenant, tenant):
    error = raised_by(lambda: gateway.provision_number(tenant, phone_number=sandbox_tenant.sender))

    assert_error(error, PermanentError, 21422, 400)


def test_another_accounts_number_is_not_found(gateway, sandbox, sandbox_tenant):
    other = sandbox.create_subaccount("tenant-b")
    number = gateway.provision_number(Credentials(other.sid, other.auth_token), area_code="212")

    error = raised_by(
        lambda: gateway.set_number_sms_url(
            Credentials(sandbox_tenant.sid, sandbox_tenant.auth_token), number.sid, "https://evil.example/in"
        )
    )

    assert_error(error, PermanentError, 20404, 404)


@pytest.mark.parametrize(
    ("number", "valid", "line_type", "errors"),
    [
        (HANDSET, True, "mobile", ()),
        ("+15552000001", True, "landline", ()),
        ("+18005550100", True, "tollFree", ()),
        ("+1415555", False, None, ("TOO_SHORT",)),
    ],
)
def test_lookup_reports_validity_and_line_type(gateway, tenant, number, valid, line_type, errors):
    result = gateway.lookup_line_type(tenant, number)

    assert (result.phone_number, result.valid, result.line_type, result.validation_errors) == (
        number,
        valid,
        line_type,
        errors,
    )
    assert result.country_code == ("US" if valid else None)


# --- subaccounts ---------------------------------------------------------------------------------------------


def test_a_subaccount_goes_through_its_lifecycle(gateway, sandbox):
    # when
    created = gateway.create_subaccount("Acme Appointments")
    found = gateway.find_subaccount("Acme Appointments")
    suspended = gateway.suspend_subaccount(created.sid)
    active = gateway.reactivate_subaccount(created.sid)
    closed = gateway.close_subaccount(created.sid)

    # then
    assert re.fullmatch(r"AC[0-9a-f]{32}", created.sid)
    assert (created.status, created.friendly_name, created.owner_account_sid) == (
        "active",
        "Acme Appointments",
        sandbox.account_sid,
    )
    assert re.fullmatch(r"[0-9a-f]{32}", created.auth_token)
    assert found == created
    assert [suspended.status, active.status, closed.status] == ["suspended", "active", "closed"]
    assert gateway.find_subaccount("Acme Appointments") is None
    error = raised_by(lambda: gateway.reactivate_subaccount(created.sid))
    assert_error(error, PermanentError, 21479, 400)


def test_find_subaccount_ignores_other_names_and_closed_ones(gateway):
    # given
    closed = gateway.create_subaccount("Globex")
    gateway.close_subaccount(closed.sid)
    gateway.create_subaccount("Globex Deliveries")
    live = gateway.create_subaccount("Globex")

    # then
    assert gateway.find_subaccount("Globex") == live
    assert gateway.find_subaccount("Initech") is None


def test_a_subaccount_cannot_create_subaccounts(sandbox, tenant):
    gateway = TwilioGateway(
        TwilioGatewayConfig(main_credentials=tenant, api_base_url=sandbox.base_url, timeout_seconds=5)
    )

    error = raised_by(lambda: gateway.create_subaccount("nested"))

    assert_error(error, MisconfiguredError, 20003, 401)


# --- signatures on the sandbox's own webhooks ----------------------------------------------------------------


def test_a_status_callback_validates_with_the_subaccounts_token_only(
    gateway, sandbox, sandbox_tenant, tenant, callback_receiver
):
    # given
    url = callback_receiver.url("/webhooks/status")
    gateway.send(tenant, message_for(sandbox_tenant, status_callback=url))
    callback = callback_receiver.wait_for(1, path="/webhooks/status")[0]
    signature = callback.headers["X-Twilio-Signature"]

    # then
    assert gateway.validate_signature(
        auth_token=tenant.auth_token, url=callback.url, params=callback.form, signature=signature
    )
    assert not gateway.validate_signature(
        auth_token=sandbox.auth_token, url=callback.url, params=callback.form, signature=signature
    )
    tampered = {**callback.form, "MessageStatus": "delivered" if callback.form["MessageStatus"] != "delivered" else "x"}
    assert not gateway.validate_signature(
        auth_token=tenant.auth_token, url=callback.url, params=tampered, signature=signature
    )
