"""What an inbound message means for compliance: an opt-out, opt-in or help keyword, a reply to review, or nothing.

Called by the messaging app's one inbound hook for every new inbound message, inside its transaction, before the
webhook answers Twilio. It records what the message means and says what reply to send, if any: we reply only where
neither Twilio nor the carrier already does (settings.provider_reply_kinds, or a webhook with OptOutType), and an
opted-out number gets nothing but the one confirmation of its opt-out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from compliance.domain import business_days
from compliance.domain import keywords as kw
from compliance.domain.rules import Category
from compliance.models import ComplianceSettings, OptOutEvent, RevocationReview, Suppression
from compliance.services.keywords import keyword_set_of, reply_for
from compliance.services.register import TENANT_SCOPE, opt_in_record, opt_out_record
from compliance.services.settings import settings_get
from tenants.models import Tenant

OPT_OUT_TYPES = {"STOP": kw.KeywordKind.OPT_OUT, "START": kw.KeywordKind.OPT_IN, "HELP": kw.KeywordKind.HELP}
REVIEW_BUSINESS_DAYS = 10


@dataclass(frozen=True)
class Inbound:
    number: str  # the handset, E.164
    body: str
    message_sid: str
    received_at: datetime
    sender_kind: str  # the kind of sender it reached ("" when unknown)
    sender_scopes: tuple[str, ...]  # `sender:<address>` and the `pool:<id>` scopes the sender is in
    opt_out_type: str = ""  # Twilio's OptOutType: STOP, START or HELP (Advanced Opt-Out)


@dataclass(frozen=True)
class Outcome:
    meaning: str  # opt_out, opt_in, help, review or none
    keyword: str = ""
    reply: str = ""  # the text to send back, "" for none
    reply_category: Category | None = None
    event: OptOutEvent | None = None
    review: RevocationReview | None = None


def inbound_handle(*, tenant: Tenant, inbound: Inbound) -> Outcome:
    """Record what an inbound message means for the register and say what to answer (see the module docstring)."""
    settings = settings_get(tenant=tenant)
    found = _keyword(inbound, settings)
    if found is None:
        return _maybe_revocation(tenant, inbound, settings)
    scopes = _scopes(inbound, settings)
    provider_replies = bool(inbound.opt_out_type) or (
        found.default and inbound.sender_kind in settings.provider_reply_kinds
    )
    if found.kind == kw.KeywordKind.OPT_OUT:
        return _opt_out(tenant, inbound, found, scopes, provider_replies)
    if found.kind == kw.KeywordKind.OPT_IN:
        return _opt_in(tenant, inbound, found, provider_replies)
    return _help(tenant, inbound, found, scopes, provider_replies)


def _keyword(inbound: Inbound, settings: ComplianceSettings) -> kw.Keyword | None:
    if inbound.opt_out_type.upper() in OPT_OUT_TYPES:  # Twilio matched it, perhaps on a keyword only it knows
        word = kw.normalize(inbound.body) or inbound.opt_out_type.upper()
        return kw.Keyword(word, OPT_OUT_TYPES[inbound.opt_out_type.upper()], kw.DEFAULT_LANGUAGE, True)
    return kw.match(inbound.body, keyword_set_of(settings))


def _scopes(inbound: Inbound, settings: ComplianceSettings) -> tuple[str, ...]:
    if settings.opt_out_scope == ComplianceSettings.Scope.SENDER and inbound.sender_scopes:
        return inbound.sender_scopes
    return (TENANT_SCOPE,)


def _opt_out(tenant, inbound: Inbound, found: kw.Keyword, scopes, provider_replies: bool) -> Outcome:
    change = opt_out_record(
        tenant=tenant,
        number=inbound.number,
        scopes=scopes,
        actor_label="handset",
        keyword=found.word,
        source=OptOutEvent.Source.TWILIO if inbound.opt_out_type else OptOutEvent.Source.KEYWORD,
        message_sid=inbound.message_sid,
        body=inbound.body,
        occurred_at=inbound.received_at,
    )
    if provider_replies or not change.scopes:  # Twilio answers itself, or this number was opted out already
        return Outcome("opt_out", found.word, event=change.event)
    text = reply_for(kind=found.kind, language=found.language, tenant_name=tenant.name)
    return Outcome("opt_out", found.word, text, Category.OPT_OUT_CONFIRMATION, change.event)


def _opt_in(tenant, inbound: Inbound, found: kw.Keyword, provider_replies: bool) -> Outcome:
    change = opt_in_record(
        tenant=tenant,
        number=inbound.number,
        actor_label="handset",
        keyword=found.word,
        require_opted_out=False,
        source=OptOutEvent.Source.TWILIO if inbound.opt_out_type else OptOutEvent.Source.KEYWORD,
        evidence=f"replied {found.word}",
        message_sid=inbound.message_sid,
        occurred_at=inbound.received_at,
    )
    if provider_replies:
        return Outcome("opt_in", found.word, event=change.event)
    text = reply_for(kind=found.kind, language=found.language, tenant_name=tenant.name)
    return Outcome("opt_in", found.word, text, Category.KEYWORD_REPLY, change.event)


def _help(tenant, inbound: Inbound, found: kw.Keyword, scopes, provider_replies: bool) -> Outcome:
    opted_out = Suppression.objects.filter(number=inbound.number, scope__in=[TENANT_SCOPE, *scopes]).exists()
    if provider_replies or opted_out:  # an opted-out number gets nothing more; toll-free carriers agree
        return Outcome("help", found.word)
    text = reply_for(kind=found.kind, language=found.language, tenant_name=tenant.name)
    return Outcome("help", found.word, text, Category.KEYWORD_REPLY)


def _maybe_revocation(tenant, inbound: Inbound, settings: ComplianceSettings) -> Outcome:
    if not kw.reads_as_revocation(inbound.body):
        return Outcome("none")
    scopes = _scopes(inbound, settings)
    review, created = RevocationReview.objects.get_or_create(
        message_sid=inbound.message_sid,
        defaults={
            "number": inbound.number,
            "body": inbound.body[:1600],
            "scopes": list(scopes),
            "received_at": inbound.received_at,
            "due_at": business_days.add(inbound.received_at, REVIEW_BUSINESS_DAYS),
        },
    )
    if created and settings.revocation_action == ComplianceSettings.RevocationAction.SUPPRESS:
        change = opt_out_record(
            tenant=tenant,
            number=inbound.number,
            scopes=scopes,
            source=OptOutEvent.Source.REVOCATION,
            actor_label="handset",
            message_sid=inbound.message_sid,
            body=inbound.body,
            occurred_at=inbound.received_at,
            evidence="suppressed at once, pending review",
        )
        review.suppressed_at_once, review.opt_out_event = True, change.event
        review.save(update_fields=["suppressed_at_once", "opt_out_event"])
    return Outcome("review", review=review)


def sender_scopes(address: str, pool_ids: Sequence[int]) -> tuple[str, ...]:
    """The scopes of a sender: itself and each pool it is in."""
    return (f"sender:{address}", *(f"pool:{pool_id}" for pool_id in sorted(pool_ids)))
