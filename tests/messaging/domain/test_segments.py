"""Segment calculator: Twilio's published test vectors (reference/twilio.md §5) and hand-worked cases."""

from __future__ import annotations

import pytest

from messaging.domain.segments import (
    GSM7,
    MAX_BODY_CHARACTERS,
    UCS2,
    SegmentReport,
    SegmentsInputError,
    count_segments,
    non_gsm_characters,
)

GSM7_ESCAPE_CHARACTERS = ["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"  # 🏳️‍🌈: 4 scalars, 6 UTF-16 units, 1 grapheme
ITALIAN_FLAG = "\U0001f1ee\U0001f1f9"  # 🇮🇹: two regional indicators
THUMBS_UP_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽: emoji + skin-tone modifier
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦: 4 emoji, 3 ZWJ
E_THREE_ACUTES = "e\u0301\u0301\u0301"  # é́́ as in the calculator's issue #17


def _digits(count: int) -> str:
    return ("1234567890" * 200)[:count]


def _assert_sizes(report: SegmentReport, encoding: str, segments: int, message_bits: int, total_bits: int) -> None:
    assert (report.encoding, report.segments, report.message_bits, report.total_bits) == (
        encoding,
        segments,
        message_bits,
        total_bits,
    )


# The calculator's tests/index.test.js. The table in twilio.md gives "🏳️‍🌈"+62/+63 digits, but the calculator's
# strings carry 64/65 digits: that is what yields characters 65 / scalars 68 and the 1 -> 2 segment boundary.
@pytest.mark.parametrize(
    ("body", "encoding", "segments", "message_bits", "total_bits", "characters", "scalars"),
    [
        pytest.param(_digits(160), GSM7, 1, 1120, 1120, 160, 160, id="gsm7-160-digits"),
        pytest.param(_digits(161), GSM7, 2, 1127, 1223, 161, 161, id="gsm7-161-digits"),
        pytest.param(_digits(307), GSM7, 3, 2149, 2293, 307, 307, id="gsm7-307-digits"),
        pytest.param("😜" + _digits(68), UCS2, 1, 1120, 1120, 69, 69, id="ucs2-emoji-68-digits"),
        pytest.param("😜" + _digits(69), UCS2, 2, 1136, 1232, 70, 70, id="ucs2-emoji-69-digits"),
        pytest.param("😜" + _digits(133), UCS2, 3, 2160, 2304, 134, 134, id="ucs2-emoji-133-digits"),
        pytest.param(ITALIAN_FLAG + _digits(66), UCS2, 1, 1120, 1120, 67, 68, id="flag-66-digits"),
        pytest.param(ITALIAN_FLAG + _digits(67), UCS2, 2, 1136, 1232, 68, 69, id="flag-67-digits"),
        pytest.param(RAINBOW_FLAG + _digits(64), UCS2, 1, 1120, 1120, 65, 68, id="rainbow-64-digits"),
        pytest.param(RAINBOW_FLAG + _digits(65), UCS2, 2, 1136, 1232, 66, 69, id="rainbow-65-digits"),
        pytest.param(RAINBOW_FLAG + _digits(62), UCS2, 1, 1088, 1088, 63, 66, id="rainbow-62-digits"),
        pytest.param(RAINBOW_FLAG + _digits(63), UCS2, 1, 1104, 1104, 64, 67, id="rainbow-63-digits"),
    ],
)
def test_count_segments_reproduces_the_calculator_vectors(
    body: str, encoding: str, segments: int, message_bits: int, total_bits: int, characters: int, scalars: int
) -> None:
    report = count_segments(body)

    _assert_sizes(report, encoding, segments, message_bits, total_bits)
    assert (report.characters, report.unicode_scalars) == (characters, scalars)
    assert "".join(report.segment_texts) == body
    assert len(report.segment_texts) == segments


@pytest.mark.parametrize(
    ("body", "segment_lengths"),
    [
        pytest.param(_digits(161), (153, 8), id="gsm7-153-per-part"),
        pytest.param(_digits(307), (153, 153, 1), id="gsm7-last-part-one-char"),
        pytest.param("😜" + _digits(69), (66, 4), id="ucs2-emoji-takes-two-units"),
        pytest.param("😜" + _digits(133), (66, 67, 1), id="ucs2-last-part-one-char"),
    ],
)
def test_concatenated_parts_hold_153_septets_or_67_units(body: str, segment_lengths: tuple[int, ...]) -> None:
    report = count_segments(body)

    assert tuple(len(text) for text in report.segment_texts) == segment_lengths
    assert report.segment_texts[-1][-1] == body[-1]


@pytest.mark.parametrize("escape", GSM7_ESCAPE_CHARACTERS)
def test_escape_character_with_158_digits_fills_one_segment(escape: str) -> None:
    report = count_segments(escape + _digits(158))

    _assert_sizes(report, GSM7, 1, 1120, 1120)
    # the calculator's length: the extension character counts 2 against the 160 (it reported 159 graphemes before)
    assert (report.characters, report.code_units, report.graphemes) == (160, 160, 159)


@pytest.mark.parametrize("escape", GSM7_ESCAPE_CHARACTERS)
def test_escape_character_with_159_digits_needs_two_segments(escape: str) -> None:
    report = count_segments(escape + _digits(159))

    _assert_sizes(report, GSM7, 2, 1127, 1223)


@pytest.mark.parametrize("escape", GSM7_ESCAPE_CHARACTERS)
def test_escape_character_alone_costs_two_septets(escape: str) -> None:
    report = count_segments(escape)

    _assert_sizes(report, GSM7, 1, 14, 14)
    assert (report.characters, report.code_units, report.non_gsm_characters) == (2, 2, ())
    assert report.graphemes == 1


@pytest.mark.parametrize("escape", GSM7_ESCAPE_CHARACTERS)
def test_escape_pair_is_never_split_across_segments(escape: str) -> None:
    # given: 152 septets, then an escape pair that would end on septet 154 of a 153-septet part
    body = _digits(152) + escape + _digits(10)

    # when
    report = count_segments(body)

    # then
    assert report.segment_texts == (_digits(152), escape + _digits(10))
    _assert_sizes(report, GSM7, 2, 1148, 1244)


@pytest.mark.parametrize("escape", GSM7_ESCAPE_CHARACTERS)
def test_escape_character_costs_one_unit_in_ucs2(escape: str) -> None:
    report = count_segments("😀" + escape)

    _assert_sizes(report, UCS2, 1, 48, 48)
    assert report.code_units == 3


@pytest.mark.parametrize("character", ["Á", "Ú", "ú", "ç", "í", "Í", "ó", "Ó"])
@pytest.mark.parametrize(("count", "segments"), [(70, 1), (71, 2)])
def test_single_unit_non_gsm_characters_fit_70_per_segment(character: str, count: int, segments: int) -> None:
    report = count_segments(character * count)

    assert (report.encoding, report.segments, report.non_gsm_characters) == (UCS2, segments, (character,))


@pytest.mark.parametrize(
    ("count", "segments", "message_bits", "total_bits"), [(68, 1, 1120, 1120), (69, 2, 1136, 1232)]
)
def test_gsm_extension_characters_in_ucs2_message(
    count: int, segments: int, message_bits: int, total_bits: int
) -> None:
    # Issue #18 of the calculator: "]" costs one UTF-16 unit in UCS-2, not an escape pair.
    report = count_segments("😀" + "]" * count)

    _assert_sizes(report, UCS2, segments, message_bits, total_bits)


@pytest.mark.parametrize(("count", "segments"), [(66, 1), (67, 2)])
def test_stacked_combining_marks_stay_one_character(count: int, segments: int) -> None:
    report = count_segments(E_THREE_ACUTES + "a" * count)

    assert (report.encoding, report.segments, report.characters) == (UCS2, segments, count + 1)


@pytest.mark.parametrize(
    ("body", "characters", "scalars", "code_units", "message_bits"),
    [
        pytest.param(E_THREE_ACUTES, 1, 4, 4, 64, id="combining-marks"),
        pytest.param(ITALIAN_FLAG, 1, 2, 4, 64, id="flag"),
        pytest.param(RAINBOW_FLAG, 1, 4, 6, 96, id="zwj-flag"),
        pytest.param(THUMBS_UP_MEDIUM, 1, 2, 4, 64, id="skin-tone"),
        pytest.param(FAMILY, 1, 7, 11, 176, id="zwj-family"),
        pytest.param("😀", 1, 1, 2, 32, id="emoji"),
        pytest.param("`", 1, 1, 1, 16, id="backtick-is-not-gsm7"),
        pytest.param("ë", 1, 1, 1, 16, id="latin-letter-outside-gsm7"),
    ],
)
def test_ucs2_grapheme_sizes(body: str, characters: int, scalars: int, code_units: int, message_bits: int) -> None:
    report = count_segments(body)

    assert (report.encoding, report.segments, report.characters) == (UCS2, 1, characters)
    assert (report.unicode_scalars, report.code_units, report.message_bits) == (scalars, code_units, message_bits)
    assert report.non_gsm_characters == (body,)


@pytest.mark.parametrize(
    ("emoji", "units"), [(THUMBS_UP_MEDIUM, 4), (FAMILY, 11), (RAINBOW_FLAG, 6), (ITALIAN_FLAG, 4)]
)
def test_grapheme_is_never_split_across_segments(emoji: str, units: int) -> None:
    # given: the grapheme starts on unit 66 of a 67-unit part, so it cannot fit whole
    body = "a" * 65 + emoji + "a" * 5

    # when
    report = count_segments(body)

    # then
    assert report.segment_texts == ("a" * 65, emoji + "a" * 5)
    _assert_sizes(report, UCS2, 2, (70 + units) * 16, (70 + units) * 16 + 96)


def test_one_non_gsm_character_turns_the_whole_message_ucs2() -> None:
    # given: 160 characters that would be one GSM-7 segment, with a single "ç" (GSM-7 has only "Ç")
    body = "Your table for 4 at Café Ruiz is confirmed for Friday 7pm. Reply C to cancel or call us. Garçon "
    body += "x" * (160 - len(body))

    # when
    report = count_segments(body)

    # then
    assert (report.encoding, report.non_gsm_characters, report.characters) == (UCS2, ("ç",), 160)
    _assert_sizes(report, UCS2, 3, 2560, 2704)
    assert tuple(len(text) for text in report.segment_texts) == (67, 67, 26)


@pytest.mark.parametrize(
    ("body", "encoding", "non_gsm"),
    [
        pytest.param("Müller, Señor Ødegård: 5€ à Zürich! ¡Ja! ¿Ja?", GSM7, (), id="accents-in-gsm7-table"),
        pytest.param("ΔΦΓΛΩΠΨΣΘΞ", GSM7, (), id="greek-capitals-in-gsm7-table"),
        pytest.param("Ça va?", GSM7, (), id="capital-c-cedilla-is-gsm7"),
        pytest.param("ça va?", UCS2, ("ç",), id="small-c-cedilla-is-not"),
        pytest.param("Hi Zoë, see you at 5", UCS2, ("ë",), id="one-letter-outside"),
        pytest.param("Müller: 5€ à São Paulo", UCS2, ("ã",), id="mixed"),
        pytest.param("αβγ", UCS2, ("α", "β", "γ"), id="greek-small-letters"),
    ],
)
def test_encoding_follows_the_gsm7_table(body: str, encoding: str, non_gsm: tuple[str, ...]) -> None:
    report = count_segments(body)

    assert (report.encoding, report.non_gsm_characters) == (encoding, non_gsm)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("más", ("á",), id="calculator-vector"),
        pytest.param("Hello", (), id="all-gsm7"),
        pytest.param("", (), id="empty"),
        pytest.param("ú😀aú😀ç", ("ú", "😀", "ç"), id="distinct-in-order"),
        pytest.param("price `5` – ok", ("`", "–"), id="backtick-and-en-dash"),
        pytest.param("line\r\nbreak", (), id="crlf-is-gsm7"),
        pytest.param("a" + E_THREE_ACUTES + FAMILY, (E_THREE_ACUTES, FAMILY), id="whole-graphemes"),
    ],
)
def test_non_gsm_characters(body: str, expected: tuple[str, ...]) -> None:
    assert non_gsm_characters(body) == expected


@pytest.mark.parametrize(
    ("body", "characters", "code_units"),
    [
        pytest.param("\rabcde\r\n123", 11, 11, id="crlf-mixed"),
        pytest.param("\nabcde\n\n123\n", 12, 12, id="lf-only"),
        pytest.param("\r\n", 2, 2, id="crlf-alone"),
    ],
)
def test_crlf_counts_as_two_characters(body: str, characters: int, code_units: int) -> None:
    report = count_segments(body)

    assert (report.encoding, report.characters, report.code_units) == (GSM7, characters, code_units)
    assert report.message_bits == code_units * 7


def test_empty_body_is_refused_as_twilio_refuses_it() -> None:
    with pytest.raises(SegmentsInputError) as caught:
        count_segments("")

    assert (caught.value.field, caught.value.message) == (
        "body",
        "must not be empty: Twilio refuses a message without a body (error 21602)",
    )


def test_empty_body_is_zero_segments_when_allowed() -> None:
    # the live counter under a compose box: nothing typed yet
    report = count_segments("", allow_empty=True)

    assert report == SegmentReport(
        body="",
        smart_encoding=False,
        encoding=GSM7,
        segments=0,
        characters=0,
        unicode_scalars=0,
        code_units=0,
        message_bits=0,
        total_bits=0,
        segment_texts=(),
        non_gsm_characters=(),
        replacements=(),
        graphemes=0,
    )


@pytest.mark.parametrize(
    ("body", "encoding", "segments", "message_bits", "total_bits", "exceeds"),
    [
        pytest.param("a" * 1600, GSM7, 11, 11200, 11728, False, id="gsm7-maximum"),
        pytest.param("a" * 1601, GSM7, 11, 11207, 11735, True, id="gsm7-one-over"),
        pytest.param("ú" * 1600, UCS2, 24, 25600, 26752, False, id="ucs2-maximum"),
        pytest.param("😀" * 1600, UCS2, 49, 51200, 53552, False, id="emoji-33-per-part"),
    ],
)
def test_maximum_body(
    body: str, encoding: str, segments: int, message_bits: int, total_bits: int, exceeds: bool
) -> None:
    report = count_segments(body)

    _assert_sizes(report, encoding, segments, message_bits, total_bits)
    assert report.exceeds_max_body is exceeds
    assert MAX_BODY_CHARACTERS == 1600


def test_grapheme_longer_than_a_segment_is_split_between_scalars() -> None:
    # given: one grapheme of 81 UTF-16 units, more than the 67 a concatenated part holds
    body = "a" + "\u0301" * 80

    # when
    report = count_segments(body)

    # then
    assert (report.characters, report.code_units) == (1, 81)
    _assert_sizes(report, UCS2, 2, 1296, 1392)
    assert tuple(len(text) for text in report.segment_texts) == (67, 14)


def test_smart_encoding_turns_typographic_punctuation_into_gsm7() -> None:
    report = count_segments("“Hello”—world…", smart_encoding=True)

    assert report == SegmentReport(
        body='"Hello"-world...',
        smart_encoding=True,
        encoding=GSM7,
        segments=1,
        characters=16,
        unicode_scalars=16,
        code_units=16,
        message_bits=112,
        total_bits=112,
        segment_texts=('"Hello"-world...',),
        non_gsm_characters=(),
        replacements=(("“", '"'), ("”", '"'), ("—", "-"), ("…", "...")),
        graphemes=16,
    )


def test_smart_encoding_disabled_keeps_ucs2_and_reports_what_it_would_replace() -> None:
    report = count_segments("“Hello”—world…")

    assert (report.body, report.encoding, report.segments, report.message_bits) == (
        "“Hello”—world…",
        UCS2,
        1,
        224,
    )
    assert report.non_gsm_characters == ("“", "”", "—", "…")
    assert report.replacements == (("“", '"'), ("”", '"'), ("—", "-"), ("…", "..."))


def test_smart_encoding_can_save_segments() -> None:
    # given: 150 characters with curly apostrophes, over one UCS-2 segment but under one GSM-7 segment
    body = ("We’re open ’til 9 today. " * 6)[:150]

    # when
    plain = count_segments(body)
    smart = count_segments(body, smart_encoding=True)

    # then
    assert (plain.encoding, plain.segments) == (UCS2, 3)
    assert (smart.encoding, smart.segments, smart.body) == (GSM7, 1, body.replace("’", "'"))


def test_smart_encoding_leaves_emoji_and_zwj_alone_and_still_replaces() -> None:
    # The calculator replaces even when the message stays UCS-2; the ZWJ inside the family emoji is kept.
    report = count_segments(FAMILY + " “hi”", smart_encoding=True)

    assert (report.body, report.encoding) == (FAMILY + ' "hi"', UCS2)
    assert report.replacements == (("“", '"'), ("”", '"'))
    assert report.characters == 6


def test_smart_encoding_of_invisible_characters_can_empty_the_body() -> None:
    report = count_segments("\u200b\ufeff\u2060", smart_encoding=True)

    assert (report.body, report.segments, report.total_bits) == ("", 0, 0)


@pytest.mark.parametrize(
    ("body", "encoding", "characters", "graphemes"),
    [
        pytest.param("{" * 80, GSM7, 160, 80, id="80-braces-fill-160"),
        pytest.param("Price: 5€ [incl. VAT] ~ok|\\^", GSM7, 35, 28, id="each-extension-character-twice"),
        pytest.param("page\fbreak", GSM7, 11, 10, id="form-feed-twice"),
        pytest.param("😀{}", UCS2, 3, 3, id="ucs2-counts-graphemes"),
    ],
)
def test_characters_count_extension_characters_twice_in_gsm7(
    body: str, encoding: str, characters: int, graphemes: int
) -> None:
    report = count_segments(body)

    assert (report.encoding, report.characters, report.graphemes) == (encoding, characters, graphemes)
    assert report.to_dict()["characters"] == characters
