"""Factories of the messaging app's tenant-schema rows: senders, pools, contacts, lists, sender plans and messages;
and CSV uploads of contacts."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance.domain import registration
from messaging.models import Campaign, Contact, ContactList, Message, Sender, SenderPlan, SenderPool
from messaging.services import plans
from tests.factories.base import TenantModelFactory, in_tenant


class SenderFactory(TenantModelFactory):
    """A Canadian long code at 1 MPS unless told otherwise; registration starts where its kind starts."""

    class Meta:
        model = Sender

    kind = Sender.Kind.LONG_CODE
    address = factory.Sequence(lambda n: f"+1416555{n % 10_000:04d}")
    country = "CA"
    mps = Decimal(1)
    registration_state = factory.LazyAttribute(lambda sender: registration.initial_state(sender.kind))


class SenderPoolFactory(TenantModelFactory):
    """A pool; give its senders with `senders=[...]` (all of the same tenant)."""

    class Meta:
        model = SenderPool

    name = factory.Sequence(lambda n: f"Pool {n}")

    @classmethod
    def _create(cls, model_class, *args, tenant=None, senders=(), **kwargs):
        pool = super()._create(model_class, *args, tenant=tenant, **kwargs)
        with in_tenant(tenant):
            pool.senders.set(senders)
        return pool


class ContactListFactory(TenantModelFactory):
    """A contact list; its contacts are added with `contacts=[...]`."""

    class Meta:
        model = ContactList

    name = factory.Sequence(lambda n: f"List {n}")

    @classmethod
    def _create(cls, model_class, *args, tenant=None, contacts=(), **kwargs):
        contact_list = super()._create(model_class, *args, tenant=tenant, **kwargs)
        with in_tenant(tenant):
            contact_list.contacts.add(*contacts)
        return contact_list


class ContactFactory(TenantModelFactory):
    """A contact at a US number; give `tags=[...]`, `attributes={...}` and lists with `lists=[...]`."""

    class Meta:
        model = Contact

    phone_number = factory.Sequence(lambda n: f"+1415555{n % 10_000:04d}")
    name = factory.Faker("name")
    country = "US"

    @classmethod
    def _create(cls, model_class, *args, tenant=None, lists=(), **kwargs):
        contact = super()._create(model_class, *args, tenant=tenant, **kwargs)
        with in_tenant(tenant):
            contact.lists.add(*lists)
        return contact


def csv_upload(text: str, name: str = "contacts.csv", *, bom: bool = False) -> SimpleUploadedFile:
    """An uploaded CSV file of `text` in UTF-8 (with a byte-order mark when `bom`), as a browser would send it."""
    content = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def plan_answers(**changes) -> dict:
    """Wizard answers: one-time passcodes to the US and the UK, one-way, 50,000 a day, 2,000 in 10 min, in 2 weeks."""
    return {
        "use_case": "otp",
        "two_way": False,
        "countries": ["US", "UK"],
        "daily_volume": 50_000,
        "peak_messages": 2_000,
        "peak_window_seconds": 600,
        "go_live": timezone.localdate() + timedelta(days=14),
        **changes,
    }


class SenderPlanFactory(TenantModelFactory):
    """A saved sender plan whose recommendation is computed from `answers` (see `plan_answers`), as the wizard does."""

    class Meta:
        model = SenderPlan

    name = ""
    answers = factory.LazyFunction(plan_answers)
    created_by = "admin@acme.test"

    @classmethod
    def _create(cls, model_class, *args, tenant=None, answers=None, **kwargs):
        if tenant is None:
            raise TypeError("SenderPlanFactory needs tenant=")
        with in_tenant(tenant):
            return plans.plan_save(name=kwargs["name"], data=answers, created_by=kwargs["created_by"])


# The time fields a status needs (the table's constraints ask for them), filled with the creation time when not given.
_TIMES_OF_STATUS = {
    "queued": ["queued_at"],
    "sending": ["queued_at", "sending_at"],
    "accepted": ["queued_at", "sending_at", "accepted_at"],
    "sent": ["queued_at", "sending_at", "accepted_at", "sent_at"],
    "delivered": ["queued_at", "sending_at", "accepted_at", "sent_at", "delivered_at"],
    "read": ["queued_at", "sending_at", "accepted_at", "sent_at", "delivered_at", "read_at"],
    "undelivered": ["queued_at", "sending_at", "accepted_at", "sent_at", "failed_at"],
    "failed": ["queued_at", "failed_at"],
    "canceled": ["queued_at", "canceled_at"],
    "received": ["received_at"],
}


class MessageFactory(TenantModelFactory):
    """A message as the engine leaves it: outbound and queued from a new sender to a US number unless told otherwise;
    an inbound one (`direction="inbound"`, status received) comes from `from_address` (a US number unless told
    otherwise) to its sender. The times its status needs are filled in with the creation time, which `created_at=`
    sets."""

    class Meta:
        model = Message

    direction = Message.Direction.OUTBOUND
    source = Message.Source.API
    status = factory.LazyAttribute(lambda message: "received" if message.direction == "inbound" else "queued")
    to = "+14155550199"
    body = "Hello"
    encoding = "GSM-7"
    segments = 1

    @classmethod
    def _create(cls, model_class, *args, tenant=None, created_at=None, **kwargs):
        with in_tenant(tenant):
            if "sender" not in kwargs:
                kwargs["sender"] = SenderFactory(tenant=tenant)
            sender = kwargs["sender"]
            if kwargs["direction"] == Message.Direction.INBOUND:
                kwargs["source"], kwargs["to"] = Message.Source.TWILIO, sender.address
                kwargs.setdefault("from_address", "+14155550199")
            else:
                kwargs.setdefault("from_address", sender.address)
            if kwargs["status"] == "sending":
                kwargs.setdefault("claim_token", uuid.uuid4())
            created_at = created_at or timezone.now()
            for name in _TIMES_OF_STATUS.get(kwargs["status"], []):
                kwargs.setdefault(name, created_at)
            message = super()._create(model_class, *args, tenant=tenant, **kwargs)
            Message.objects.filter(pk=message.pk).update(created_at=created_at)  # the insert took the clock's time
            message.refresh_from_db()
        return message


class CampaignFactory(TenantModelFactory):
    """A draft campaign with one body and no audience yet."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    body = "Hello {{ first_name }}"
