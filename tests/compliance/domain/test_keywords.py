"""Keyword matching as Twilio does it, the tenant's own keywords, and replies that read as revocations."""

from __future__ import annotations

import pytest

from compliance.domain import keywords as kw

DEFAULTS = kw.keyword_set()


@pytest.mark.parametrize(
    ("body", "word", "kind"),
    [
        ("STOP", "STOP", "opt_out"),
        ("stop", "STOP", "opt_out"),
        ("sToP", "STOP", "opt_out"),
        ("  Stop.  ", "STOP", "opt_out"),
        ("STOP!!!", "STOP", "opt_out"),
        ("\nunsubscribe\n", "UNSUBSCRIBE", "opt_out"),
        ("StopAll", "STOPALL", "opt_out"),
        ("cancel", "CANCEL", "opt_out"),
        ("End", "END", "opt_out"),
        ("QUIT", "QUIT", "opt_out"),
        ("revoke", "REVOKE", "opt_out"),
        ("optout", "OPTOUT", "opt_out"),
        ("start", "START", "opt_in"),
        ("Yes", "YES", "opt_in"),
        ("unstop", "UNSTOP", "opt_in"),
        ("help", "HELP", "help"),
        ("INFO?", "INFO", "help"),
    ],
)
def test_a_whole_message_that_is_one_default_keyword_matches(body, word, kind):
    found = kw.match(body, DEFAULTS)
    assert (found.word, found.kind.value, found.language, found.default) == (word, kind, "en", True)


@pytest.mark.parametrize("body", ["Stop please", "please stop", "OPT OUT", "stop stop", "", "   ", "STOPP", "S T O P"])
def test_anything_else_is_no_keyword(body):
    assert kw.match(body, DEFAULTS) is None


def test_a_tenant_adds_keywords_in_its_languages_and_removes_optional_defaults():
    # given
    keywords = kw.keyword_set(
        removed=["cancel", "YES", "STOP", "HELP"],
        added=[kw.Keyword("ALTO", kw.KeywordKind.OPT_OUT, "es"), kw.Keyword("ARRÊT", kw.KeywordKind.OPT_OUT, "fr")],
    )
    # then STOP and HELP stay whatever the tenant asks; CANCEL and YES are gone; ALTO and ARRÊT answer
    assert kw.match("cancel", keywords) is None
    assert kw.match("yes", keywords) is None
    assert kw.match("stop", keywords).word == "STOP"
    assert kw.match("help", keywords).word == "HELP"
    assert (kw.match("alto", keywords).kind, kw.match("alto", keywords).language) == (kw.KeywordKind.OPT_OUT, "es")
    assert kw.match("Arrêt.", keywords).word == "ARRÊT"


def test_an_added_keyword_never_shadows_a_default():
    keywords = kw.keyword_set(added=[kw.Keyword("STOP", kw.KeywordKind.HELP, "es")])
    assert kw.match("stop", keywords).kind == kw.KeywordKind.OPT_OUT


@pytest.mark.parametrize(
    ("raw", "cleaned"), [("alto", "ALTO"), (" Arrêt ", "ARRÊT"), ("baja.", "BAJA"), ("stop2", "STOP2")]
)
def test_keywords_are_stored_as_one_upper_case_word(raw, cleaned):
    assert kw.clean_keyword(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "a keyword needs at least one letter"),
        ("opt out", "'opt out' has a space: a keyword is one word, as Twilio matches it"),
        ("no-more", "'no-more' may hold only letters and digits"),
        ("A" * 21, "a keyword has at most 20 characters"),
    ],
)
def test_a_keyword_that_twilio_could_never_match_is_refused(raw, reason):
    with pytest.raises(kw.KeywordError) as refused:
        kw.clean_keyword(raw)
    assert str(refused.value) == reason


@pytest.mark.parametrize(
    "body",
    [
        "Stop please",
        "please STOP texting me",
        "Unsubscribe me from this list",
        "opt-out",
        "OPT OUT",
        "remove me from your list",
        "Take me off this list",
        "don't text me again",
        "Do not message me",
        "no more texts",
        "leave me alone",
        "wrong number",
        "para por favor",
        "Arrêtez les messages",
        "bitte abmelden",
        "cancel",
        "End.",
        "opt out",
    ],
)
def test_other_wording_that_asks_to_stop_reads_as_a_revocation(body):
    assert kw.reads_as_revocation(body) is True


@pytest.mark.parametrize(
    "body",
    [
        "Thanks, see you at 3",
        "Can I change my appointment?",
        "Don't stop sending these!",
        "",
        "bus stopped late",
        "see you at the end of the week",
    ],
)
def test_ordinary_replies_do_not(body):
    assert kw.reads_as_revocation(body) is False
