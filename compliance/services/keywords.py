"""The tenant's keywords and reply texts: Twilio's defaults, those it removed, its own, and what each answers."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from compliance.domain import keywords as kw
from compliance.errors import ComplianceValidationError
from compliance.models import ComplianceSettings, Keyword, ReplyText
from tenants.audit import audit_record
from tenants.models import Tenant

DEFAULT_REPLIES = {
    kw.KeywordKind.OPT_OUT: "{name}: you are unsubscribed and will get no more messages. Reply START to resubscribe.",
    kw.KeywordKind.OPT_IN: "{name}: you are subscribed again. Msg&data rates may apply. Reply HELP for help, "
    "STOP to opt out.",
    kw.KeywordKind.HELP: "{name}: reply STOP to opt out, START to opt back in. Msg&data rates may apply.",
}
MAX_REPLY = 320


def removable_defaults() -> list[str]:
    """The default keywords a tenant may remove (all but STOP, START and HELP)."""
    return [k.word for k in kw.default_keywords() if k.word not in kw.REQUIRED]


def keyword_set_of(settings: ComplianceSettings) -> kw.KeywordSet:
    """The keywords the tenant answers now."""
    added = [kw.Keyword(k.word, kw.KeywordKind(k.kind), k.language) for k in Keyword.objects.all()]
    return kw.keyword_set(removed=settings.removed_keywords, added=added)


def keyword_add(*, tenant: Tenant, word: str, kind: str, language: str, actor_label: str, actor=None) -> Keyword:
    """Add a keyword of a kind in a language (ALTO: opt-out, es); refuses one that exists, default or added."""
    try:
        cleaned = kw.clean_keyword(word)
    except kw.KeywordError as exc:
        raise ComplianceValidationError(str(exc), field="word") from exc
    if kind not in {k.value for k in kw.KeywordKind}:
        raise ComplianceValidationError(f"'{kind}' is not opt_out, opt_in or help", field="kind")
    language = _language(language)
    if any(k.word == cleaned for k in kw.default_keywords()):
        raise ComplianceValidationError(f"{cleaned} is one of Twilio's default keywords already", field="word")
    try:
        with transaction.atomic():
            keyword = Keyword.objects.create(word=cleaned, kind=kind, language=language, created_by=actor_label)
            audit_record(
                action="compliance.keyword_added",
                tenant=tenant,
                actor=actor,
                actor_label=actor_label,
                target=cleaned,
                details={"kind": kind, "language": language},
            )
    except IntegrityError as exc:
        raise ComplianceValidationError(f"{cleaned} is a keyword already", field="word") from exc
    return keyword


def keyword_remove(*, tenant: Tenant, word: str, actor_label: str, actor=None) -> None:
    """Remove the tenant's own keyword, or one of the optional defaults; never STOP, START or HELP."""
    cleaned = word.strip().upper()
    if cleaned in kw.REQUIRED:
        raise ComplianceValidationError(f"{cleaned} cannot be removed: Twilio requires it", field="word")
    with transaction.atomic():
        deleted, _ = Keyword.objects.filter(word=cleaned).delete()
        if not deleted:
            settings = ComplianceSettings.objects.select_for_update().filter(pk=1).first()
            if cleaned not in removable_defaults() or settings is None:
                raise ComplianceValidationError(f"{cleaned} is not one of the tenant's keywords", field="word")
            if cleaned in settings.removed_keywords:
                raise ComplianceValidationError(f"{cleaned} is removed already", field="word")
            settings.removed_keywords = sorted({*settings.removed_keywords, cleaned})
            settings.save(update_fields=["removed_keywords", "updated_at"])
        audit_record(
            action="compliance.keyword_removed", tenant=tenant, actor=actor, actor_label=actor_label, target=cleaned
        )


def keyword_restore(*, tenant: Tenant, word: str, actor_label: str, actor=None) -> None:
    """Bring back a default keyword the tenant removed."""
    cleaned = word.strip().upper()
    with transaction.atomic():
        settings = ComplianceSettings.objects.select_for_update().filter(pk=1).first()
        if settings is None or cleaned not in settings.removed_keywords:
            raise ComplianceValidationError(f"{cleaned} is not a removed default keyword", field="word")
        settings.removed_keywords = [w for w in settings.removed_keywords if w != cleaned]
        settings.save(update_fields=["removed_keywords", "updated_at"])
        audit_record(
            action="compliance.keyword_restored", tenant=tenant, actor=actor, actor_label=actor_label, target=cleaned
        )


def reply_text_set(*, tenant: Tenant, kind: str, language: str, text: str, actor_label: str, actor=None) -> None:
    """Set (or, with a blank text, clear back to the default) the reply to a kind of keyword in a language."""
    if kind not in {k.value for k in kw.KeywordKind}:
        raise ComplianceValidationError(f"'{kind}' is not opt_out, opt_in or help", field="kind")
    language, text = _language(language), text.strip()
    if len(text) > MAX_REPLY:
        raise ComplianceValidationError(f"a reply has at most {MAX_REPLY} characters", field="text")
    with transaction.atomic():
        if text:
            ReplyText.objects.update_or_create(kind=kind, language=language, defaults={"text": text})
        else:
            ReplyText.objects.filter(kind=kind, language=language).delete()
        audit_record(
            action="compliance.reply_changed",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=f"{kind} ({language})",
            details={"text": text},
        )


def reply_for(*, kind: kw.KeywordKind, language: str, tenant_name: str) -> str:
    """The reply to a keyword of `kind`: the tenant's text in the keyword's language, else in English, else ours."""
    texts = dict(
        ReplyText.objects.filter(kind=kind, language__in={language, kw.DEFAULT_LANGUAGE}).values_list(
            "language", "text"
        )
    )
    return texts.get(language) or texts.get(kw.DEFAULT_LANGUAGE) or DEFAULT_REPLIES[kind].format(name=tenant_name)


def _language(raw: str) -> str:
    language = (raw or "").strip()
    parts = language.split("-")
    well_formed = 1 <= len(parts) <= 2 and parts[0].isalpha() and 2 <= len(parts[0]) <= 3
    if not (well_formed and all(p.isalnum() for p in parts)):
        raise ComplianceValidationError(f"'{raw}' is not a language tag such as es or fr-CA", field="language")
    return "-".join([parts[0].lower(), *(p.upper() for p in parts[1:])])
