"""Sending hours and marketing caps that laws and Twilio's guidelines set, as the platform ships them (pure).

ISV staff keep the live table (the `rulebook` app); these rows seed it and stand in while it is empty. Every row
carries its source; where the reference marks a fact unverified the row says so and stays on the cautious side.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Final

from compliance.domain.rules import JurisdictionHours
from compliance.domain.windows import EVERY_DAY, WEEKDAYS, WEEKEND, Hours, Window

_US = "47 CFR 64.1200(c)(1): telephone solicitation only 08:00–21:00 local; Twilio error 30610"
_STATE_CAP = "at most 3 messages on one subject in 24 hours"


def _daily(start: str, end: str) -> Hours:
    return Hours((Window(time.fromisoformat(start), time.fromisoformat(end), EVERY_DAY),))


DEFAULT_JURISDICTIONS: Final[tuple[JurisdictionHours, ...]] = (
    JurisdictionHours("TIME-01", "the United States", "US", "", _daily("08:00", "21:00"), source=_US),
    JurisdictionHours(
        "TIME-02", "Florida", "US", "FL", _daily("08:00", "20:00"), cap=3, cap_rule="FREQ-01",
        source=f"Florida Telephone Solicitation Act, ch. 2021-185 (flsenate.gov Bill 1120): 08:00–20:00, {_STATE_CAP}",
    ),
    JurisdictionHours(
        "TIME-02", "Oklahoma", "US", "OK", _daily("08:00", "20:00"), cap=3, cap_rule="FREQ-01",
        source=f"Oklahoma Telephone Solicitation Act, in force 1 November 2022: 08:00–20:00, {_STATE_CAP}",
    ),
    JurisdictionHours(
        "TIME-02", "Maryland", "US", "MD", _daily("08:00", "20:00"), cap=3, cap_rule="FREQ-01",
        source=f"Maryland Stop the Spam Calls Act, in force 1 January 2024: 08:00–20:00, {_STATE_CAP} (calls or texts)",
    ),
    JurisdictionHours(
        "TIME-03", "Canada", "CA", "",
        Hours((Window(time(9, 0), time(21, 30), WEEKDAYS), Window(time(10, 0), time(18, 0), WEEKEND))),
        source="CRTC Unsolicited Telecommunications Rules (telemarketing): 09:00–21:30 weekdays, 10:00–18:00 "
        "weekends; whether they cover SMS is unverified, applied as the cautious reading",
    ),
    JurisdictionHours(
        "TIME-04", "France", "FR", "", Hours((Window(time(8, 0), time(20, 0), frozenset(range(6))),)),
        source="Twilio's international SMS guide restricts promotional timing; exact window unverified: 08:00–20:00 "
        "Monday to Saturday, none on Sundays (public holidays not modelled)",
    ),
    JurisdictionHours(
        "TIME-05", "Brazil", "BR", "", _daily("09:00", "22:00"), cap=7, cap_period=timedelta(days=7),
        cap_rule="FREQ-02",
        source="Twilio support article 4425028701467: marketing 09:00–22:00, at most 7 a week per user",
    ),
    JurisdictionHours(
        "TIME-06", "India", "IN", "", _daily("09:00", "21:00"),
        source="TRAI promotional hours 09:00–21:00 IST (third-party sources; Twilio support article 20441562481435 "
        "says 09:00–20:00 on short codes)",
    ),
)  # fmt: skip
