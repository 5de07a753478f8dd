"""Smart Encoding: the replacements Twilio applies, as its published calculator's map (reference/twilio.md §5)."""

from __future__ import annotations

import pytest

from messaging.domain.segments import GSM7, apply_smart_encoding, count_segments
from messaging.domain.smart_encoding import SMART_ENCODING_MAP


@pytest.mark.parametrize(
    ("original", "replacement"),
    [
        pytest.param("\u00a0", "  ", id="nbsp-two-spaces"),
        pytest.param("\u2003", "  ", id="em-space-two-spaces"),
        pytest.param("\u2009", "  ", id="thin-space-two-spaces"),
        pytest.param("\u3000", "  ", id="ideographic-space-two-spaces"),
        pytest.param("\u2001", " ", id="em-quad-one-space"),
        pytest.param("\u2028", " ", id="line-separator-one-space"),
        pytest.param("\t", " " * 7, id="tab-seven-spaces"),
        pytest.param("\u200b", "", id="zero-width-space-removed"),
        pytest.param("\u2060", "", id="word-joiner-removed"),
        pytest.param("\ufeff", "", id="bom-removed"),
        pytest.param("“", '"', id="left-double-quote"),
        pytest.param("„", '"', id="double-low-9"),
        pytest.param("«", '"', id="guillemet"),
        pytest.param("’", "'", id="right-single-quote"),
        pytest.param("`", "'", id="grave-accent"),
        pytest.param("‚", ",", id="single-low-9"),
        pytest.param("‹", ">", id="single-left-angle-as-published"),
        pytest.param("›", "<", id="single-right-angle-as-published"),
        pytest.param("–", "-", id="en-dash"),
        pytest.param("—", "-", id="em-dash"),
        pytest.param("\u2010", "-", id="hyphen"),
        pytest.param("•", "-", id="bullet"),
        pytest.param("…", "...", id="ellipsis"),
        pytest.param("\u2017", "_", id="double-low-line-as-the-current-calculator"),
        pytest.param("½", "1/2", id="one-half"),
        pytest.param("‼", "!!", id="double-exclamation"),
        pytest.param("÷", "/", id="division-sign"),
        pytest.param("Ａ", "A", id="fullwidth-capital"),
        pytest.param("９", "9", id="fullwidth-digit"),
        pytest.param("！", "!", id="fullwidth-first"),
        pytest.param("～", "~", id="fullwidth-last"),
        pytest.param("ᴀ", "A", id="small-capital-a"),
        pytest.param("ꜱ", "S", id="small-capital-s"),
    ],
)
def test_smart_encoding_replacements(original: str, replacement: str) -> None:
    assert SMART_ENCODING_MAP[original] == replacement
    assert apply_smart_encoding(f"a{original}b") == f"a{replacement}b"


@pytest.mark.parametrize(
    "character",
    [
        pytest.param("\u200c", id="zwnj"),
        pytest.param("\u200d", id="zwj"),
        pytest.param("ａ", id="fullwidth-lowercase"),
        pytest.param("｀", id="fullwidth-grave"),
        pytest.param("é", id="gsm7-letter"),
        pytest.param("ú", id="accented-letter"),
        pytest.param("😀", id="emoji"),
    ],
)
def test_smart_encoding_leaves_unlisted_characters_alone(character: str) -> None:
    assert character not in SMART_ENCODING_MAP
    assert apply_smart_encoding(character) == character


def test_smart_encoding_map_covers_twilio_list_and_yields_only_gsm7() -> None:
    # given: every listed character at once
    originals = "".join(SMART_ENCODING_MAP)

    # when
    report = count_segments(originals, smart_encoding=True)

    # then
    assert len(SMART_ENCODING_MAP) == 270
    assert report.body == "".join(SMART_ENCODING_MAP.values())
    assert (report.encoding, report.non_gsm_characters) == (GSM7, ())
    assert len(report.replacements) == 270


def test_smart_encoding_of_a_double_low_line_stays_gsm7() -> None:
    report = count_segments("first\u2017name", smart_encoding=True)

    assert (report.body, report.encoding, report.characters) == ("first_name", GSM7, 10)
