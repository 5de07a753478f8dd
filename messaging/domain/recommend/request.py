"""The request a sender recommendation answers: use case, peak, countries and dates, with its input checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final, TypeVar

from messaging.domain.errors import DomainInputError
from messaging.domain.throughput import MAX_QUEUE_SECONDS, MAX_SEGMENTS_PER_MESSAGE, MAX_TOTAL_MPS

_E = TypeVar("_E", bound=StrEnum)

MAX_DAILY_VOLUME: Final = 100_000_000
MAX_PEAK_WINDOW_SECONDS: Final = 86_400
MAX_COUNTRIES: Final = 50


class UseCase(StrEnum):
    CONVERSATIONAL = "conversational"
    TRANSACTIONAL = "transactional"
    PROMOTIONAL = "promotional"
    OTP = "otp"


# How the product names each use case, and what it covers; the wizard, plan names and the API read them here.
USE_CASE_LABELS: Final[dict[str, str]] = {
    UseCase.OTP: "One-time passcodes",
    UseCase.TRANSACTIONAL: "Transactional messages",
    UseCase.CONVERSATIONAL: "Conversations",
    UseCase.PROMOTIONAL: "Promotional messages",
}
USE_CASE_EXAMPLES: Final[dict[str, str]] = {
    UseCase.OTP: "sign-in and verification codes",
    UseCase.TRANSACTIONAL: "alerts, reminders, receipts, delivery updates",
    UseCase.CONVERSATIONAL: "back-and-forth with customers",
    UseCase.PROMOTIONAL: "offers and marketing",
}


class Priority(StrEnum):
    COST = "cost"
    DELIVERABILITY = "deliverability"
    BALANCED = "balanced"


class RecommendationInputError(DomainInputError):
    """An input the recommendation refuses; `field` names it."""


@dataclass(frozen=True, slots=True)
class RecommendationRequest:
    """What the wizard asks. Raises RecommendationInputError naming the first field out of range.

    Give the peak as `peak_messages` within `peak_window_seconds`, or as `required_mps` (segments per second, before
    headroom), not both. Country codes are upper-cased; `use_case` and `priority` may be their string values.
    `tendlc_tier` is a catalogue tier code, checked by `recommend`; None assumes the catalogue's default tier.
    `validity_period_seconds` is the messages' ValidityPeriod (1–36,000); None is Twilio's default of 36,000 s.
    """

    use_case: UseCase
    two_way: bool
    countries: tuple[str, ...]
    daily_volume: int
    today: date
    go_live: date
    peak_messages: int | None = None
    peak_window_seconds: int | None = None
    required_mps: Decimal | None = None
    segments_per_message: int = 1
    time_sensitive: bool = False
    priority: Priority = Priority.BALANCED
    voice: bool = False
    tendlc_tier: str | None = None
    validity_period_seconds: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "use_case", _choice("use_case", self.use_case, UseCase))
        _check_bool("two_way", self.two_way)
        object.__setattr__(self, "countries", _checked_countries(self.countries))
        _check_int("daily_volume", self.daily_volume, 1, MAX_DAILY_VOLUME)
        self._check_peak()
        _check_int("segments_per_message", self.segments_per_message, 1, MAX_SEGMENTS_PER_MESSAGE)
        _check_bool("time_sensitive", self.time_sensitive)
        object.__setattr__(self, "priority", _choice("priority", self.priority, Priority))
        _check_bool("voice", self.voice)
        _check_date("today", self.today)
        _check_date("go_live", self.go_live)
        if self.go_live < self.today:
            raise RecommendationInputError("go_live", f"cannot be before today ({self.today.isoformat()})")
        if self.tendlc_tier is not None and not isinstance(self.tendlc_tier, str):
            raise RecommendationInputError("tendlc_tier", "must be a tier code")
        if self.validity_period_seconds is not None:
            _check_int("validity_period_seconds", self.validity_period_seconds, 1, MAX_QUEUE_SECONDS)

    def _check_peak(self) -> None:
        has_peak = self.peak_messages is not None or self.peak_window_seconds is not None
        if has_peak and self.required_mps is not None:
            raise RecommendationInputError(
                "required_mps", "give either the peak (peak_messages and peak_window_seconds) or required_mps"
            )
        if not has_peak:
            if self.required_mps is None:
                raise RecommendationInputError(
                    "peak_messages", "give the peak (peak_messages and peak_window_seconds) or required_mps"
                )
            object.__setattr__(self, "required_mps", _checked_mps(self.required_mps))
            return
        if self.peak_messages is None:
            raise RecommendationInputError("peak_messages", "is required with peak_window_seconds")
        if self.peak_window_seconds is None:
            raise RecommendationInputError("peak_window_seconds", "is required with peak_messages")
        _check_int("peak_messages", self.peak_messages, 1, MAX_DAILY_VOLUME)
        if self.peak_messages > self.daily_volume:
            raise RecommendationInputError("peak_messages", f"cannot exceed daily_volume ({self.daily_volume:,})")
        _check_int("peak_window_seconds", self.peak_window_seconds, 1, MAX_PEAK_WINDOW_SECONDS)


def _choice(name: str, value: object, enum: type[_E]) -> _E:
    try:
        return enum(value)
    except ValueError:
        raise RecommendationInputError(name, f"must be one of {', '.join(m.value for m in enum)}") from None


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise RecommendationInputError(name, "must be true or false")


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecommendationInputError(name, "must be a whole number")
    if not low <= value <= high:
        raise RecommendationInputError(name, f"must be between {low:,} and {high:,}")


def _check_date(name: str, value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RecommendationInputError(name, "must be a date")


def _checked_mps(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise RecommendationInputError("required_mps", "must be a number")
    try:
        mps = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise RecommendationInputError("required_mps", "must be a number") from None
    if not mps.is_finite() or not 0 < mps <= MAX_TOTAL_MPS:
        raise RecommendationInputError("required_mps", f"must be more than 0 and at most {MAX_TOTAL_MPS:,}")
    return mps


def _checked_countries(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (tuple, list)) or not value:
        raise RecommendationInputError("countries", "must list at least one country")
    if len(value) > MAX_COUNTRIES:
        raise RecommendationInputError("countries", f"must list at most {MAX_COUNTRIES} countries")
    codes: list[str] = []
    for item in value:
        code = item.strip().upper() if isinstance(item, str) else ""
        if code == "UK":
            raise RecommendationInputError("countries", "UK is not an ISO 3166-1 code: use GB for the United Kingdom")
        if len(code) != 2 or not (code.isascii() and code.isalpha()):
            raise RecommendationInputError("countries", f"{item!r} is not a two-letter ISO 3166-1 country code")
        if code in codes:
            raise RecommendationInputError("countries", f"{code} is listed twice")
        codes.append(code)
    return tuple(codes)
