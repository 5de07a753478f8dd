"""The compliance app's tenant tables: settings, keywords and replies, the opt-out register, consent, reviews,
Lookup results."""

from compliance.models.consent import Consent
from compliance.models.keywords import Keyword, ReplyText
from compliance.models.lookups import NumberLookup
from compliance.models.register import OptOutEvent, Suppression
from compliance.models.reviews import RevocationReview
from compliance.models.settings import ComplianceSettings

__all__ = [
    "ComplianceSettings",
    "Consent",
    "Keyword",
    "NumberLookup",
    "OptOutEvent",
    "ReplyText",
    "RevocationReview",
    "Suppression",
]
