"""Contacts exported as CSV: every contact once (read in chunks), an attribute per column, cells a spreadsheet will
not run as formulas while E.164 numbers stay usable, the export audited; and the file imports back as it was."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from messaging import selectors
from messaging.domain.contact_csv import csv_lines, guess_mapping
from messaging.services.contacts import exports
from messaging.services.contacts.exports import contacts_export
from tenants.models import AuditEvent
from tests.factories import ContactFactory, ContactListFactory

pytestmark = pytest.mark.django_db


def _read(lines) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_an_export_neutralises_formulas_and_keeps_numbers_usable(in_tenant_a):
    # given contacts whose values a spreadsheet would run
    vip = ContactListFactory(tenant=in_tenant_a, name="=VIP")
    ContactFactory(
        tenant=in_tenant_a, phone_number="+14155550100", name='=HYPERLINK("http://evil.example","Click")',
        attributes={"note": "@SUM(A1:A9)", "balance": -12.5, "member": True, "name": "+1 (415) 555-0100"},
        tags=["vip"], lists=[vip], time_zone="America/Los_Angeles",
    )  # fmt: skip
    ContactFactory(
        tenant=in_tenant_a, phone_number="+447400123456", name="-2+3", status="unsendable",
        unsendable_reason="\tlandline", unsendable_since=timezone.now(),
    )  # fmt: skip
    # when
    rows = contacts_export(tenant=in_tenant_a, contacts=selectors.contacts_matching(), actor_label="api-key:x")
    table = _read(csv_lines(rows))
    # then
    assert table[0] == [
        "phone_number", "name", "time_zone", "tags", "lists", "status", "unsendable_reason", "country", "created_at",
        "balance", "member", "attribute:name", "note",
    ]  # fmt: skip
    assert [row[:8] + row[9:] for row in table[1:]] == [
        ["+14155550100", "'=HYPERLINK(\"http://evil.example\",\"Click\")", "America/Los_Angeles", "vip", "'=VIP",
         "active", "", "US", "-12.5", "true", "'+1 (415) 555-0100", "'@SUM(A1:A9)"],
        ["+447400123456", "'-2+3", "", "", "", "unsendable", "'\tlandline", "US", "", "", "", ""],
    ]  # fmt: skip
    event = AuditEvent.objects.get(action="contacts.exported")
    assert (event.actor_label, event.details) == ("api-key:x", {"filters": {}})


def test_an_export_reads_every_contact_once_in_chunks_and_follows_the_filters(in_tenant_a, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    vip = ContactListFactory(tenant=in_tenant_a, name="VIP")
    numbers = [ContactFactory(tenant=in_tenant_a, lists=[vip] if n % 2 else []).phone_number for n in range(5)]
    everyone = _read(csv_lines(contacts_export(tenant=in_tenant_a, contacts=selectors.contacts_matching())))
    on_vip = _read(
        csv_lines(
            contacts_export(
                tenant=in_tenant_a, contacts=selectors.contacts_matching(list_id=vip.pk), filters={"list": vip.pk}
            )
        )
    )
    assert [row[0] for row in everyone[1:]] == numbers
    assert [row[0] for row in on_vip[1:]] == [numbers[1], numbers[3]]
    assert AuditEvent.objects.filter(action="contacts.exported").order_by("id").last().details == {
        "filters": {"list": vip.pk}
    }


def test_an_exported_file_maps_back_to_the_same_fields():
    header = ["phone_number", "name", "time_zone", "tags", "lists", "status", "unsendable_reason", "country",
              "created_at", "balance", "attribute:name"]  # fmt: skip
    assert guess_mapping(header) == {
        "phone_number": "phone", "name": "name", "time_zone": "time_zone", "tags": "tags", "lists": "ignore",
        "status": "ignore", "unsendable_reason": "ignore", "country": "ignore", "created_at": "ignore",
        "balance": "attribute:balance", "attribute:name": "attribute:name",
    }  # fmt: skip
