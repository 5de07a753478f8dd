"""Number hygiene: Lookup's line type for numbers not known or expired, kept per number; landlines and invalid
numbers then blocked by NUM-02; a subaccount's requests keep to one rate across every worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import NumberLookup
from compliance.services.settings import settings_update
from messaging.dispatch import rates
from messaging.models import Contact
from messaging.services.contacts.imports import import_create
from messaging.services.hygiene import numbers_look_up
from messaging.tasks import tenant_lookups_nightly
from tests.factories import ContactFactory, NumberLookupFactory, csv_upload, in_tenant

pytestmark = pytest.mark.django_db

MOBILE, LANDLINE, INVALID, KNOWN, EXPIRED = (
    "+14165550101", "+14165550102", "+14165550103", "+14165550104", "+14165550105"
)  # fmt: skip


@pytest.fixture
def lookups(in_tenant_a, fake_gateway, dispatch_index, settings):
    settings.LOOKUP_RATE_PER_SECOND = 1000
    fake_gateway.script_lookup(LANDLINE, line_type="landline", carrier_name="Bell Canada")
    fake_gateway.script_lookup(INVALID, valid=False, line_type=None)
    NumberLookupFactory(tenant=in_tenant_a, number=KNOWN, line_type="mobile")
    NumberLookupFactory(tenant=in_tenant_a, number=EXPIRED, line_type="landline",
                        expires_at=timezone.now() - timedelta(days=1))  # fmt: skip
    return fake_gateway


def test_numbers_not_known_or_expired_are_looked_up_and_kept(in_tenant_a, lookups):
    report = numbers_look_up(tenant=in_tenant_a, numbers=[MOBILE, LANDLINE, INVALID, KNOWN, EXPIRED, MOBILE])
    assert (report.looked_up, report.fresh, report.failed) == (4, 1, [])
    assert sorted(call["phone_number"] for call in lookups.calls_of("lookup_line_type")) == sorted(
        [MOBILE, LANDLINE, INVALID, EXPIRED]
    )
    assert report.unsendable == {LANDLINE: "landline", INVALID: "invalid"}
    rows = {row.number: (row.valid, row.line_type) for row in NumberLookup.objects.all()}
    assert rows == {
        MOBILE: (True, "mobile"), LANDLINE: (True, "landline"), INVALID: (False, ""), KNOWN: (True, "mobile"),
        EXPIRED: (True, "mobile"),
    }  # fmt: skip
    assert NumberLookup.objects.get(number=LANDLINE).carrier == "Bell Canada"
    assert NumberLookup.objects.get(number=EXPIRED).expires_at > timezone.now() + timedelta(days=89)


def test_contacts_of_unsendable_numbers_are_marked_with_the_reason(in_tenant_a, lookups):
    for number in (MOBILE, LANDLINE, INVALID):
        ContactFactory(tenant=in_tenant_a, phone_number=number)
    numbers_look_up(tenant=in_tenant_a, numbers=[MOBILE, LANDLINE, INVALID])
    marked = {c.phone_number: (c.status, c.unsendable_reason) for c in Contact.objects.all()}
    assert marked == {
        MOBILE: ("active", ""),
        LANDLINE: ("unsendable", "Lookup: a landline, which cannot take texts"),
        INVALID: ("unsendable", "Lookup: not a valid number"),
    }


def test_twilio_busy_stops_the_batch_and_keeps_what_it_learnt(in_tenant_a, lookups):
    lookups.script_error("lookup_line_type", 20429, http_status=429, times=None)
    report = numbers_look_up(tenant=in_tenant_a, numbers=[MOBILE, LANDLINE])
    assert (report.looked_up, report.failed) == (0, [MOBILE, LANDLINE])
    assert NumberLookup.objects.filter(number__in=[MOBILE, LANDLINE]).count() == 0


def test_the_nightly_run_looks_up_contacts_only_where_the_tenant_asks(in_tenant_a, lookups, tenant_b):
    ContactFactory(tenant=in_tenant_a, phone_number=MOBILE)
    ContactFactory(tenant=in_tenant_a, phone_number=KNOWN)
    assert tenant_lookups_nightly(schema_name=in_tenant_a.schema_name) == {"looked_up": 0, "fresh": 0, "failed": 0}
    settings_update(tenant=in_tenant_a, actor_label="owner@acme.test", lookup_nightly=True)
    assert tenant_lookups_nightly(schema_name=in_tenant_a.schema_name) == {"looked_up": 1, "fresh": 0, "failed": 0}
    with in_tenant(tenant_b):
        assert NumberLookup.objects.count() == 0


def test_slots_of_a_shared_rate_follow_each_other(dispatch_index):
    waits = [rates.reserve("lookups:ACtest", per_second=2) for _ in range(3)]
    # the first slot is now; each next one half a second after the one before (less the time the calls took)
    assert waits[0] == 0
    assert 0.45 < waits[1] <= 0.5
    assert 0.95 < waits[2] <= 1.0


def test_an_import_looks_up_its_numbers_where_the_tenant_asks(in_tenant_a, lookups, django_capture_on_commit_callbacks):
    settings_update(tenant=in_tenant_a, actor_label="owner@acme.test", lookup_on_import=True)
    # when an import runs (eagerly, as the tests run Celery) and ends
    with django_capture_on_commit_callbacks(execute=True):
        import_create(tenant=in_tenant_a, upload=csv_upload(f"phone\n{MOBILE}\n{LANDLINE}\n"), actor_label="o@a.test")
    # then its numbers were looked up, and the landline's contact marked
    assert dict(Contact.objects.values_list("phone_number", "status")) == {MOBILE: "active", LANDLINE: "unsendable"}
    assert NumberLookup.objects.filter(number__in=[MOBILE, LANDLINE]).count() == 2
