"""Sender catalogue: facts about sender types, destination countries and US A2P 10DLC trust tiers (pure).

`DEFAULT_CATALOGUE` seeds the catalogue that ISV staff edit; `Catalogue` answers the lookups the sender
recommendation (`messaging.domain.recommend`) and the provisioning code need. `types` holds the shapes and the
lookups, `facts` the default tables and their sources. A lead time in business days counts Monday to Friday; `None`
means the time is country specific or unknown.
"""

from messaging.domain.catalogue.facts import DEFAULT_CATALOGUE
from messaging.domain.catalogue.types import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    INTERNATIONAL_LONG_CODE,
    LONG_CODE,
    LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS,
    MESSAGING_SERVICE,
    SHORT_CODE,
    TEN_DLC,
    TOLL_FREE,
    AlphanumericSupport,
    Catalogue,
    CatalogueError,
    CountryRule,
    Fees,
    LeadTime,
    RegistrationRoute,
    SenderTypeFacts,
    TenDlcTier,
    UnknownSenderType,
    UnknownTrustTier,
)

__all__ = [
    "ALPHANUMERIC_REGISTERED",
    "ALPHANUMERIC_UNREGISTERED",
    "DEFAULT_CATALOGUE",
    "INTERNATIONAL_LONG_CODE",
    "LONG_CODE",
    "LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS",
    "MESSAGING_SERVICE",
    "SHORT_CODE",
    "TEN_DLC",
    "TOLL_FREE",
    "AlphanumericSupport",
    "Catalogue",
    "CatalogueError",
    "CountryRule",
    "Fees",
    "LeadTime",
    "RegistrationRoute",
    "SenderTypeFacts",
    "TenDlcTier",
    "UnknownSenderType",
    "UnknownTrustTier",
]
