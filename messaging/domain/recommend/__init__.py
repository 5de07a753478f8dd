"""Sender recommendation: per destination country, the sender types that fit a workload, ranked and explained (pure).

The questions are those of the sender decision flow (seeds/isv-messaging-architecture.txt): use case, one-way or
two-way, countries, throughput, cost versus deliverability, provisioning urgency, plus voice. The facts come from a
`Catalogue` (messaging.domain.catalogue); today's date is an argument, never read from the clock.

1. Exclude, with the reason, what cannot serve the request: a type the country does not accept; any type for
   two-way where Twilio has no two-way SMS in the country; alphanumeric IDs for two-way (no replies); a sender from
   another country for two-way (its ID may be overwritten, so replies get lost); a type without voice when voice
   is wanted.
2. Throughput needed at peak, in segments per second with 20 % headroom, rounded up: peak messages ÷ window
   seconds × segments per message × 1.2, or a stated required MPS × 1.2. A type that falls short adds senders when
   more senders add throughput (long codes), else it misses the peak.
3. Score every remaining type, each point with its reason in plain words: local sender +20; meets the peak with one
   sender +20, with several +10; misses it −10 and up to −40 more in proportion to the shortfall (an alphanumeric
   ID −5 only: Twilio Support raises it on request); unknown MPS 0; a short code for one-time passcodes or other
   time-sensitive messages +10; a local number for conversations +10; T-Mobile's daily cap below the segments bound
   for T-Mobile (the catalogue's assumed share of the daily volume) −20; a vetted (registered or verified) sender
   +10 when deliverability comes first, +5 when balanced; no recurring and no carrier fees +10 when cost comes
   first, +5 when balanced; carrier fees a line of their own, −5 when cost comes first; carriers filtering the type
   in the country −10; lead time against go-live: fits 0, unknown −10, at risk (only the shortest time fits) −40,
   too late −80.
4. A type whose peak would keep segments waiting longer than the sender queue (36,000 s) or the messages' validity
   period, the peak arriving evenly over its window, is unsuitable for that peak: marked so with the reason, and
   ranked after every type that can send it.
5. Rank by score; ties keep the catalogue's order (that of the sender matrix). Warnings carry stable codes.
6. Readiness: a country is ready when a type fit for the peak fits its lead time. When one is not, the answer says
   so first (`ready_by_go_live`, and the warning `not_ready_by_go_live`), with what to do meanwhile and the fastest
   path (`meanwhile`).

`request` holds the request and its checks, `plan` what it needs, `scoring` the points and the fitness for the peak,
`warnings` the codes and texts, `fees` the fee lines, `readiness` the go-live answer, `results` the answer and
`engine` the ranking that puts them together.
"""

from messaging.domain.recommend.engine import recommend
from messaging.domain.recommend.plan import HEADROOM_PERCENT, needed_mps
from messaging.domain.recommend.request import (
    USE_CASE_EXAMPLES,
    USE_CASE_LABELS,
    Priority,
    RecommendationInputError,
    RecommendationRequest,
    UseCase,
)
from messaging.domain.recommend.results import (
    CountryRecommendation,
    Exclusion,
    LeadTimeCheck,
    LeadTimeStatus,
    Recommendation,
    SenderOption,
    SenderWarning,
)
from messaging.domain.recommend.scoring import business_days_between

__all__ = [
    "HEADROOM_PERCENT",
    "USE_CASE_EXAMPLES",
    "USE_CASE_LABELS",
    "CountryRecommendation",
    "Exclusion",
    "LeadTimeCheck",
    "LeadTimeStatus",
    "Priority",
    "Recommendation",
    "RecommendationInputError",
    "RecommendationRequest",
    "SenderOption",
    "SenderWarning",
    "UseCase",
    "business_days_between",
    "needed_mps",
    "recommend",
]
