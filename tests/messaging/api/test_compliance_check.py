"""The rule check of one prospective message: every finding with its rule, severity and reason, nothing stored;
refused naming the field; another tenant's senders are not found."""

from __future__ import annotations

import pytest

from compliance.services.register import opt_out_record
from messaging.models import Message, StickySender
from tests.factories import SenderFactory, SenderPoolFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/compliance/check"


def test_every_finding_is_listed_and_nothing_is_sent(client_a, api_key_a, tenant_a):
    # given: a number opted out, a marketing message without consent or opt-out language
    sender = SenderFactory(tenant=tenant_a, address="+14165550100")
    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number="+14165550199", source="api", actor_label="tests")
    # when
    response = call(
        client_a,
        api_key_a,
        "post",
        CHECK,
        {"to": "+14165550199", "body": "Sale! bit.ly/x", "sender": sender.pk, "category": "marketing"},
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["to"], body["sender"], body["from_address"], body["allowed"], body["send_at"]) == (
        "+14165550199",
        sender.pk,
        "+14165550100",
        False,
        None,
    )
    rules = {(f["rule"], f["severity"]) for f in body["findings"]}
    assert {("OPT-01", "block"), ("CONS-01", "block"), ("CONT-02", "warn"), ("CONT-03", "block")} <= rules
    with in_tenant(tenant_a):
        assert Message.objects.count() == 0


def test_a_pool_is_checked_through_the_sender_it_would_pick_without_remembering_it(client_a, api_key_a, tenant_a):
    sender = SenderFactory(tenant=tenant_a, address="+14165550100")
    pool = SenderPoolFactory(tenant=tenant_a, senders=[sender])
    response = call(
        client_a, api_key_a, "post", CHECK, {"to": "+14165550199", "body": "Your code is 1234", "pool": pool.pk}
    )
    assert (response.status_code, response.json()["sender"], response.json()["allowed"]) == (200, sender.pk, True)
    with in_tenant(tenant_a):
        assert StickySender.objects.count() == 0


def test_bad_input_is_refused_naming_the_field(client_a, api_key_a, tenant_a):
    sender = SenderFactory(tenant=tenant_a)
    neither = call(client_a, api_key_a, "post", CHECK, {"to": "+14165550199", "body": "Hi"})
    assert (neither.status_code, neither.json()["errors"][0]["field"]) == (422, "sender")
    category = call(client_a, api_key_a, "post", CHECK, {"to": "+14165550199", "sender": sender.pk, "category": "spam"})
    assert (category.status_code, category.json()["errors"][0]["field"]) == (400, "category")
    number = call(client_a, api_key_a, "post", CHECK, {"to": "hello", "sender": sender.pk})
    assert (number.status_code, number.json()["errors"][0]["field"]) == (422, "to")


def test_another_tenants_sender_is_not_found(client_b, api_key_b, tenant_a):
    sender = SenderFactory(tenant=tenant_a)
    response = call(client_b, api_key_b, "post", CHECK, {"to": "+447700900123", "sender": sender.pk})
    assert (response.status_code, response.json()["errors"]) == (
        422,
        [{"field": "sender", "message": f"no sender with id {sender.pk}"}],
    )
