"""Tracked links, pure: URLs found in bodies, fixed-width base62, codes signed per tenant and verified."""

from __future__ import annotations

import pytest

from messaging.domain.links import (
    CODE_LENGTH,
    MAX_LINK_ID,
    MAX_REF,
    PLACEHOLDER_CODE,
    CodeSigner,
    LinkCode,
    LinkCodeError,
    UrlSpan,
    base62_decode,
    base62_fixed,
    body_template,
    find_urls,
)

KEY = b"k" * 32
OURS = ("https://go.acme.test/l/", "http://localhost:8000/l/acme/")


@pytest.mark.parametrize(
    ("body", "urls"),
    [
        ("no links here", []),
        ("Book: https://acme.test/book", ["https://acme.test/book"]),
        ("See https://acme.test/a. Then http://b.test/x?y=1&z=2, ok", ["https://acme.test/a", "http://b.test/x?y=1&z=2"]),
        ("(https://acme.test/a)", ["https://acme.test/a"]),
        ("https://en.test/wiki/Foo_(bar) and more", ["https://en.test/wiki/Foo_(bar)"]),
        ("HTTPS://ACME.TEST/Up!", ["HTTPS://ACME.TEST/Up"]),
        ("quoted \"https://acme.test/q\" end", ["https://acme.test/q"]),
        ("https://acme.test/a\nhttps://acme.test/a", ["https://acme.test/a", "https://acme.test/a"]),
        ("ftp://acme.test/file www.acme.test", []),
        ("https:// nothing", []),
        ("https://acme.test/?u={{ id }} personalised", []),
        ("already short https://go.acme.test/l/0000100000001A0abcdef", []),
        ("already short http://localhost:8000/l/acme/0000100000001A0abcdef", []),
        ("not ours https://go.other.test/l/x", ["https://go.other.test/l/x"]),
        ("too long https://acme.test/" + "a" * 2100, []),
        ("control https://acme.test/a\x01b", ["https://acme.test/a"]),
        ("accents https://café.test/menü?q=ü ok", ["https://café.test/menü?q=ü"]),
    ],
)  # fmt: skip
def test_urls_are_found_in_a_body(body, urls):
    assert [span.url for span in find_urls(body, skip_prefixes=OURS)] == urls


def test_a_span_is_where_the_url_is():
    body = "Hi, see https://acme.test/a."
    assert find_urls(body) == [UrlSpan(url="https://acme.test/a", start=8, end=27)]
    assert body[8:27] == "https://acme.test/a"


@pytest.mark.parametrize(
    ("value", "width", "text"),
    [(0, 3, "000"), (1, 3, "001"), (61, 2, "0z"), (62, 2, "10"), (3843, 2, "zz"), (MAX_REF, 7, "zzzzzzz")],
)
def test_base62_is_fixed_width_and_reads_back(value, width, text):
    assert base62_fixed(value, width) == text
    assert base62_decode(text) == value


@pytest.mark.parametrize(("value", "width"), [(-1, 3), (62**3, 3)])
def test_base62_refuses_what_does_not_fit(value, width):
    with pytest.raises(LinkCodeError, match=f"{value} does not fit in {width} base62 digits"):
        base62_fixed(value, width)


@pytest.mark.parametrize(
    ("link_id", "ref", "variant"),
    [(1, 0, ""), (1, 1, "A"), (42, 123_456_789, "B"), (MAX_LINK_ID, MAX_REF, "z"), (7, 99, "9")],
)
def test_a_code_has_a_fixed_length_and_verifies_to_its_parts(link_id, ref, variant):
    signer = CodeSigner(key=KEY, tenant_id=3)
    code = signer.sign(link_id=link_id, recipient_ref=ref, variant=variant)
    assert len(code) == CODE_LENGTH == 19
    assert code.isalnum() and code.isascii()
    assert signer.verify(code) == LinkCode(link_id=link_id, recipient_ref=ref, variant=variant)


def test_codes_are_deterministic_and_differ_per_recipient_tenant_and_key():
    code = CodeSigner(key=KEY, tenant_id=3).sign(link_id=5, recipient_ref=10)
    assert CodeSigner(key=KEY, tenant_id=3).sign(link_id=5, recipient_ref=10) == code
    assert code[:5] == "00005" and code[5:12] == "000000A" and code[12] == "0"
    others = {
        CodeSigner(key=KEY, tenant_id=3).sign(link_id=5, recipient_ref=11),
        CodeSigner(key=KEY, tenant_id=4).sign(link_id=5, recipient_ref=10),
        CodeSigner(key=b"x" * 32, tenant_id=3).sign(link_id=5, recipient_ref=10),
    }
    assert code not in others and len(others) == 3


def _altered(code: str, index: int) -> str:
    replacement = "1" if code[index] != "1" else "2"
    return code[:index] + replacement + code[index + 1 :]


@pytest.mark.parametrize(
    "presented",
    [
        "",
        "short",
        PLACEHOLDER_CODE,
        "0000500000000A0" + "!!!!",
        "00005000000A0abcdef",  # a right-shaped code with a made-up MAC
        "x" * 200,
        "00005000000ÄA0abcde",
        "../../etc/passwd",
    ],
)
def test_anything_but_a_signed_code_is_refused(presented):
    assert CodeSigner(key=KEY, tenant_id=3).verify(presented) is None


@pytest.mark.parametrize("index", range(CODE_LENGTH))
def test_changing_any_character_of_a_code_makes_it_invalid(index):
    signer = CodeSigner(key=KEY, tenant_id=3)
    code = signer.sign(link_id=5, recipient_ref=10, variant="A")
    assert signer.verify(_altered(code, index)) is None


def test_a_code_of_another_tenant_is_refused():
    code = CodeSigner(key=KEY, tenant_id=3).sign(link_id=5, recipient_ref=10)
    assert CodeSigner(key=KEY, tenant_id=4).verify(code) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"link_id": 0, "recipient_ref": 1}, "link id 0 must be at least 1"),
        ({"link_id": MAX_LINK_ID + 1, "recipient_ref": 1}, f"{MAX_LINK_ID + 1} does not fit in 5 base62 digits"),
        ({"link_id": 1, "recipient_ref": MAX_REF + 1}, f"{MAX_REF + 1} does not fit in 7 base62 digits"),
        ({"link_id": 1, "recipient_ref": -1}, "-1 does not fit in 7 base62 digits"),
        ({"link_id": 1, "recipient_ref": 1, "variant": "AB"}, "variant 'AB' must be one letter or a digit 1-9"),
        ({"link_id": 1, "recipient_ref": 1, "variant": "0"}, "variant '0' must be one letter or a digit 1-9"),
        ({"link_id": 1, "recipient_ref": 1, "variant": "é"}, "variant 'é' must be one letter or a digit 1-9"),
    ],
)
def test_what_cannot_be_put_in_a_code_is_refused(kwargs, message):
    with pytest.raises(LinkCodeError, match=message):
        CodeSigner(key=KEY, tenant_id=3).sign(**kwargs)


def test_a_body_template_puts_a_code_where_each_url_was():
    body = "A https://a.test/x and https://b.test/y, again https://a.test/x."
    template = body_template(body, find_urls(body), {"https://a.test/x": 1, "https://b.test/y": 2})
    assert template.link_ids == (1, 2, 1)
    assert template.render("https://s.test/l/", ["C1", "C2", "C3"]) == (
        "A https://s.test/l/C1 and https://s.test/l/C2, again https://s.test/l/C3."
    )


def test_a_body_without_urls_renders_unchanged():
    template = body_template("plain", [], {})
    assert (template.link_ids, template.render("https://s.test/l/", [])) == ((), "plain")
