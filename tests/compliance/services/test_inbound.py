"""What an inbound message means: keywords, Twilio's OptOutType, replies only where nobody else replies, reviews."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compliance.domain.rules import Category
from compliance.models import ComplianceSettings, Keyword, OptOutEvent, ReplyText, RevocationReview, Suppression
from compliance.services.inbound import Inbound, inbound_handle
from compliance.services.settings import settings_get

HANDSET = "+14165550123"
RECEIVED = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # a Thursday


def inbound(body: str, *, kind: str = "short_code", sid: str = "SM" + "a" * 32, opt_out_type: str = "") -> Inbound:
    return Inbound(number=HANDSET, body=body, message_sid=sid, received_at=RECEIVED, sender_kind=kind,
                   sender_scopes=("sender:555123", "pool:2"), opt_out_type=opt_out_type)  # fmt: skip


def test_stop_to_a_short_code_opts_out_and_we_send_the_one_confirmation(in_tenant_a):
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("Stop"))
    assert (outcome.meaning, outcome.keyword, outcome.reply_category) == (
        "opt_out",
        "STOP",
        Category.OPT_OUT_CONFIRMATION,
    )
    assert outcome.reply == (
        "Acme Appointments: you are unsubscribed and will get no more messages. Reply START to resubscribe."
    )
    event = OptOutEvent.objects.get()
    assert (event.source, event.keyword, event.message_sid, event.occurred_at, event.actor_label) == (
        "keyword", "STOP", "SM" + "a" * 32, RECEIVED, "handset"
    )  # fmt: skip
    assert list(Suppression.objects.values_list("scope", flat=True)) == ["tenant"]


@pytest.mark.parametrize("kind", ["long_code", "a2p_10dlc", "toll_free", "messaging_service"])
def test_where_twilio_or_the_carrier_answers_we_record_and_stay_silent(in_tenant_a, kind):
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("STOP", kind=kind))
    assert (outcome.meaning, outcome.reply, OptOutEvent.objects.count()) == ("opt_out", "", 1)


def test_a_repeated_stop_is_kept_but_not_confirmed_again(in_tenant_a):
    inbound_handle(tenant=in_tenant_a, inbound=inbound("STOP", sid="SM" + "1" * 32))
    again = inbound_handle(tenant=in_tenant_a, inbound=inbound("stop", sid="SM" + "2" * 32))
    assert (again.meaning, again.reply, OptOutEvent.objects.count()) == ("opt_out", "", 2)


def test_optouttype_is_honoured_for_a_keyword_only_twilio_knows(in_tenant_a):
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("BAJA", kind="messaging_service", opt_out_type="STOP"))
    event = OptOutEvent.objects.get()
    assert (outcome.meaning, outcome.reply, event.source, event.keyword) == ("opt_out", "", "twilio", "BAJA")


def test_start_lifts_the_opt_out_and_both_events_stay(in_tenant_a):
    inbound_handle(tenant=in_tenant_a, inbound=inbound("STOP", sid="SM" + "1" * 32))
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("start", sid="SM" + "2" * 32))
    assert (outcome.meaning, outcome.reply_category) == ("opt_in", Category.KEYWORD_REPLY)
    assert outcome.reply.startswith("Acme Appointments: you are subscribed again.")
    assert list(OptOutEvent.objects.order_by("id").values_list("kind", "evidence")) == [
        ("opt_out", ""), ("opt_in", "replied START")
    ]  # fmt: skip
    assert Suppression.objects.count() == 0


def test_help_is_answered_unless_the_number_is_opted_out(in_tenant_a):
    answered = inbound_handle(tenant=in_tenant_a, inbound=inbound("HELP", sid="SM" + "1" * 32))
    assert (answered.meaning, answered.reply_category) == ("help", Category.KEYWORD_REPLY)
    inbound_handle(tenant=in_tenant_a, inbound=inbound("STOP", sid="SM" + "2" * 32))
    silent = inbound_handle(tenant=in_tenant_a, inbound=inbound("info", sid="SM" + "3" * 32))
    assert (silent.meaning, silent.reply) == ("help", "")


def test_the_tenants_keywords_and_replies_in_their_language(in_tenant_a):
    Keyword.objects.create(word="ALTO", kind="opt_out", language="es")
    ReplyText.objects.create(kind="opt_out", language="es", text="Acme: no recibirá más mensajes.")
    ReplyText.objects.create(kind="help", language="en", text="Acme: call 555-0100.")
    alto = inbound_handle(tenant=in_tenant_a, inbound=inbound("Alto", kind="long_code", sid="SM" + "1" * 32))
    # Twilio does not know ALTO: it neither blocks nor answers, so we answer, in Spanish
    assert (alto.meaning, alto.reply) == ("opt_out", "Acme: no recibirá más mensajes.")
    help_ = inbound_handle(tenant=in_tenant_a, inbound=inbound("HELP", kind="short_code", sid="SM" + "2" * 32))
    assert help_.reply == ""  # the number opted out with ALTO: nothing but the confirmation


def test_a_removed_default_is_no_keyword(in_tenant_a):
    settings = settings_get(tenant=in_tenant_a)
    settings.removed_keywords = ["CANCEL"]
    settings.save()
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("cancel"))
    assert (outcome.meaning, OptOutEvent.objects.count()) == ("review", 0)  # it still reads as a revocation


def test_stop_please_is_no_keyword_but_waits_for_review(in_tenant_a):
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("Stop please"))
    review = RevocationReview.objects.get()
    assert (outcome.meaning, outcome.reply, OptOutEvent.objects.count()) == ("review", "", 0)
    assert (review.number, review.body, review.status, review.suppressed_at_once) == (
        HANDSET, "Stop please", "open", False
    )  # fmt: skip
    # ten business days from Thursday 3 December: Thursday 17 December
    assert review.due_at == datetime(2026, 12, 17, 15, 0, tzinfo=UTC)


def test_a_tenant_may_suppress_such_replies_at_once(in_tenant_a):
    settings = settings_get(tenant=in_tenant_a)
    settings.revocation_action = ComplianceSettings.RevocationAction.SUPPRESS
    settings.opt_out_scope = ComplianceSettings.Scope.SENDER
    settings.save()
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("please remove me"))
    review = RevocationReview.objects.get()
    event = OptOutEvent.objects.get()
    assert (outcome.meaning, outcome.reply, review.suppressed_at_once, review.opt_out_event_id) == (
        "review", "", True, event.pk
    )  # fmt: skip
    assert (event.source, event.scopes) == ("revocation", ["sender:555123", "pool:2"])


def test_an_ordinary_reply_means_nothing(in_tenant_a):
    outcome = inbound_handle(tenant=in_tenant_a, inbound=inbound("See you at 3"))
    assert (outcome.meaning, RevocationReview.objects.count(), OptOutEvent.objects.count()) == ("none", 0, 0)
