"""The check service: the register, consent, Lookup and settings read into the rules, one message or many."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.services.checks import (
    Outbound,
    Recipient,
    jurisdictions_forget,
    message_check,
    messages_check,
    summarize,
)
from compliance.services.register import opt_out_record
from compliance.services.settings import settings_get, settings_update
from tests.factories import ConsentFactory, NumberLookupFactory

NOON_NY = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
EARLY_NY = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # 06:00 in New York
PROMO = "Winter sale: 20% off. Reply STOP to opt out"


def outbound(to: str = "+12125550100", *, category: str = "marketing", body: str = PROMO, **fields) -> Outbound:
    return Outbound(to=to, category=category, body=body, segments=1, sender_kind="long_code", sender_registration="",
                    **fields)  # fmt: skip


def test_a_consented_number_in_hours_may_leave_now(in_tenant_a):
    ConsentFactory(tenant=in_tenant_a, number="+12125550100")
    verdict = message_check(tenant=in_tenant_a, outbound=outbound(), now=NOON_NY)
    assert (verdict.findings, verdict.send_at) == ((), NOON_NY)


def test_the_register_consent_and_lookup_each_block(in_tenant_a):
    NumberLookupFactory(tenant=in_tenant_a, number="+12125550100", line_type="landline")
    opt_out_record(tenant=in_tenant_a, number="+12125550100", source="api", actor_label="k")
    verdict = message_check(tenant=in_tenant_a, outbound=outbound(), now=NOON_NY)
    assert verdict.blocked is True
    assert [f.rule for f in verdict.findings] == ["OPT-01", "CONS-01", "NUM-02"]


def test_an_opt_out_of_one_sender_blocks_only_messages_in_its_scope(in_tenant_a):
    opt_out_record(tenant=in_tenant_a, number="+12125550100", source="keyword", actor_label="handset",
                   scopes=["sender:+14165550100"])  # fmt: skip
    transactional = outbound(category="transactional", body="Your order shipped")
    other = message_check(tenant=in_tenant_a, outbound=transactional, now=NOON_NY)
    same = message_check(
        tenant=in_tenant_a, outbound=Outbound(**{**transactional.__dict__, "scopes": ("sender:+14165550100",)}),
        now=NOON_NY,
    )  # fmt: skip
    assert (other.blocked, same.blocked) == (False, True)


def test_the_tenants_window_and_exemptions_come_from_its_settings(in_tenant_a, compliance_strict):
    receipt = outbound(category="transactional", body="Your order shipped")
    assert message_check(tenant=in_tenant_a, outbound=receipt, now=EARLY_NY).send_at == datetime(
        2026, 12, 1, 13, 0, tzinfo=UTC
    )
    settings_update(tenant=in_tenant_a, actor_label="owner@acme.test", exempt_categories=["transactional"])
    assert message_check(tenant=in_tenant_a, outbound=receipt, now=EARLY_NY).send_at == EARLY_NY


def test_the_contacts_own_zone_wins_over_the_numbers(in_tenant_a, compliance_strict):
    receipt = outbound(category="transactional", body="Your order shipped", contact_zone="Europe/London")
    # 11:00 UTC: 06:00 for a New York number, 11:00 for a contact who lives in London
    assert message_check(tenant=in_tenant_a, outbound=receipt, now=EARLY_NY).send_at == EARLY_NY


def test_many_recipients_at_once_read_the_records_per_chunk(in_tenant_a):
    numbers = [f"+1212555{n:04d}" for n in range(100, 160)]
    for number in numbers[:40]:
        ConsentFactory(tenant=in_tenant_a, number=number)
    opt_out_record(tenant=in_tenant_a, number=numbers[0], source="api", actor_label="k")
    NumberLookupFactory(tenant=in_tenant_a, number=numbers[1], line_type="landline")
    recipients = [Recipient(to=n, key=i) for i, n in enumerate(numbers)]
    settings_get(tenant=in_tenant_a)  # the tenant's settings row exists, as it does once anything was checked
    jurisdictions_forget()
    # when
    with CaptureQueriesContext(connection) as queries:
        summary = summarize(messages_check(tenant=in_tenant_a, outbound=outbound(), recipients=recipients, now=NOON_NY))
    # then one read each of suppressions, consents, Lookup results, the settings and the hours table
    selects = [
        q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries if q["sql"].startswith("SELECT")
    ]
    assert sorted(selects) == [
        '"compliance_compliancesettings"', '"compliance_consent"', '"compliance_numberlookup"',
        '"compliance_suppression"', '"rulebook_sendinghours"',
    ]  # fmt: skip
    assert (summary.recipients, summary.blocked, summary.deferred, summary.warned, summary.clean) == (60, 22, 0, 0, 38)
    assert summary.by_rule == {("OPT-01", "block"): 1, ("CONS-01", "block"): 21, ("NUM-02", "block"): 1}
    assert summary.samples[("CONS-01", "block")] == [numbers[0], *numbers[40:44]]  # the opt-out revoked its consent
