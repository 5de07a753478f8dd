"""US states and Canadian provinces by name and code, to read the place a number's area code belongs to (pure)."""

from __future__ import annotations

from typing import Final

US_STATES: Final[dict[str, str]] = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC", "Washington D.C.": "DC", "Florida": "FL",
    "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI",
    "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
    "Virginia": "VA", "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
    "Puerto Rico": "PR",
}  # fmt: skip
CA_PROVINCES: Final[dict[str, str]] = {
    "Alberta": "AB", "British Columbia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL", "Newfoundland": "NL", "Nova Scotia": "NS", "Ontario": "ON",
    "Prince Edward Island": "PE", "Quebec": "QC", "Saskatchewan": "SK", "Northwest Territories": "NT",
    "Nunavut": "NU", "Yukon": "YT",
}  # fmt: skip
_BY_COUNTRY: Final = {"US": US_STATES, "CA": CA_PROVINCES}


def region_of(country: str, description: str) -> str:
    """The state or province code in a geocoder description ("Florida", "Miami, FL", "Ontario"); "" if none."""
    names = _BY_COUNTRY.get(country)
    if not names or not description:
        return ""
    if description in names:
        return names[description]
    tail = description.rsplit(",", 1)[-1].strip()
    codes = set(names.values())
    return tail if tail in codes else names.get(tail, "")
