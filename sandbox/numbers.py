"""Phone-number facts the sandbox needs: test numbers, countries, sender kinds, line types and validation.

Twilio's magic test numbers (used as `To`) fail at the API exactly like Twilio's test credentials make them fail;
the configurable prefix ranges of `SandboxConfig` decide undelivered outcomes and Lookup line types.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Final

# To number -> (Twilio error code, HTTP status) raised synchronously by POST Messages.json.
TEST_NUMBER_ERRORS: Final[dict[str, int]] = {
    "+15005550001": 21211,  # invalid 'To' number
    "+15005550002": 21612,  # 'To' not reachable via SMS
    "+15005550003": 21408,  # no permission for the region (geo permissions)
    "+15005550004": 21610,  # the recipient has unsubscribed
    "+15005550009": 21614,  # 'To' is not a mobile number
}
TEST_LANDLINE: Final = "+15005550009"

TOLL_FREE_NPAS: Final = frozenset({"800", "833", "844", "855", "866", "877", "888"})
# Canadian NPAs, so FromCountry/ToCountry and Lookup say CA rather than US for them.
CANADIAN_NPAS: Final = frozenset({
    "204", "226", "236", "249", "250", "263", "289", "306", "343", "354", "365", "367", "368", "403", "416",
    "418", "428", "431", "437", "438", "450", "468", "474", "506", "514", "519", "548", "579", "581", "584",
    "587", "604", "613", "639", "647", "672", "683", "705", "709", "742", "753", "778", "780", "782", "807",
    "819", "825", "867", "873", "879", "902", "905",
})  # fmt: skip
# Calling code -> ISO country, enough for the countries a demo or a test touches; longest prefix wins.
CALLING_CODES: Final[dict[str, str]] = {
    "1": "US", "7": "RU", "20": "EG", "27": "ZA", "30": "GR", "31": "NL", "32": "BE", "33": "FR", "34": "ES",
    "36": "HU", "39": "IT", "40": "RO", "41": "CH", "43": "AT", "44": "GB", "45": "DK", "46": "SE", "47": "NO",
    "48": "PL", "49": "DE", "52": "MX", "54": "AR", "55": "BR", "56": "CL", "57": "CO", "60": "MY", "61": "AU",
    "62": "ID", "63": "PH", "64": "NZ", "65": "SG", "66": "TH", "81": "JP", "82": "KR", "84": "VN", "86": "CN",
    "90": "TR", "91": "IN", "234": "NG", "254": "KE", "351": "PT", "353": "IE", "358": "FI", "420": "CZ",
    "852": "HK", "971": "AE", "972": "IL",
}  # fmt: skip

SENDER_MPS: Final[dict[str, int]] = {"long_code": 1, "toll_free": 3, "short_code": 100, "alphanumeric": 10}
INTERNATIONAL_LONG_CODE_MPS: Final = 10

_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
_SHORT_CODE = re.compile(r"^[0-9]{5,6}$")
_ALPHANUMERIC = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")


@dataclass(frozen=True, slots=True)
class SenderProfile:
    """What an address is as a sender: its kind and its default MPS (segments per second)."""

    kind: str
    mps: int


def is_e164(number: str) -> bool:
    """True for `+` followed by 2 to 15 digits, the first non-zero."""
    return bool(_E164.match(number))


def sender_profile(address: str) -> SenderProfile:
    """Infer kind and default MPS from the address (reference/twilio.md §6); ValueError when it is none."""
    if _SHORT_CODE.match(address):
        return SenderProfile("short_code", SENDER_MPS["short_code"])
    if _ALPHANUMERIC.match(address):
        return SenderProfile("alphanumeric", SENDER_MPS["alphanumeric"])
    if not is_e164(address):
        raise ValueError(f"not a phone number, short code or alphanumeric sender ID: {address!r}")
    if address.startswith("+1"):
        kind = "toll_free" if address[2:5] in TOLL_FREE_NPAS else "long_code"
        return SenderProfile(kind, SENDER_MPS[kind])
    return SenderProfile("long_code", INTERNATIONAL_LONG_CODE_MPS)


def country_of(number: str) -> str:
    """ISO country of an E.164 number ("" when unknown); short codes and alphanumerics count as US."""
    if not number.startswith("+"):
        return "US"
    digits = number[1:]
    if digits.startswith("1"):
        return "CA" if digits[1:4] in CANADIAN_NPAS else "US"
    for length in (3, 2, 1):
        country = CALLING_CODES.get(digits[:length])
        if country:
            return country
    return ""


def calling_code_of(number: str) -> str:
    """The calling code of an E.164 number, or "" when it is not one the sandbox knows."""
    digits = number.lstrip("+")
    for length in (1, 2, 3):
        if digits[:length] in CALLING_CODES:
            return digits[:length]
    return ""


def validation_errors(number: str) -> list[str]:
    """Lookup v2 validation errors for `number` (empty when valid)."""
    if not number.startswith("+") or not number[1:].isdigit():
        return ["NOT_A_NUMBER"]
    code = calling_code_of(number)
    if not code:
        return ["INVALID_COUNTRY_CODE"]
    national = number[1 + len(code) :]
    minimum, maximum = (10, 10) if code == "1" else (6, 14 - len(code))
    if len(national) < minimum:
        return ["TOO_SHORT"]
    if len(national) > maximum:
        return ["TOO_LONG"]
    if code == "1" and (national[0] in "01" or national[3] in "01"):
        return ["INVALID_BUT_POSSIBLE"]
    return []


def national_format(number: str) -> str:
    """`(415) 555-0100` for NANP numbers, `0` + national digits elsewhere."""
    code = calling_code_of(number)
    national = number[1 + len(code) :]
    if code == "1" and len(national) == 10:
        return f"({national[:3]}) {national[3:6]}-{national[6:]}"
    return "0" + national


def line_type(number: str, ranges: dict[str, str]) -> str:
    """Lookup line type: configured prefix ranges first, then toll-free NPAs, else mobile."""
    if number == TEST_LANDLINE:
        return "landline"
    for prefix, kind in ranges.items():
        if number.startswith(prefix):
            return kind
    if number.startswith("+1") and number[2:5] in TOLL_FREE_NPAS:
        return "tollFree"
    return "mobile"


def undelivered_code(number: str, ranges: dict[str, int], line_types: dict[str, str]) -> int | None:
    """The carrier error a message to `number` ends with, or None when it is delivered."""
    for prefix, code in ranges.items():
        if number.startswith(prefix):
            return code
    if line_type(number, line_types) in {"landline", "fixedVoip"}:
        return 30006  # Twilio tries, and the carrier reports a landline / unreachable carrier
    return None


def allocate_number(area_code: str, taken: set[str], rng: random.Random) -> str:
    """A free +1 number in `area_code` (an unused one is drawn from the seeded RNG)."""
    if len(area_code) != 3 or not area_code.isdigit() or area_code[0] in "01":
        raise ValueError(f"bad area code: {area_code!r}")
    for _ in range(1000):
        candidate = f"+1{area_code}{rng.randrange(2_000_000, 10_000_000)}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free number left in area code {area_code}")
