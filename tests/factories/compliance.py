"""Factories of the compliance app's tenant-schema rows: consents and Lookup results."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from compliance.models import Consent, NumberLookup
from tests.factories.base import TenantModelFactory


class ConsentFactory(TenantModelFactory):
    """A marketing consent from a web form, collected an hour ago."""

    class Meta:
        model = Consent

    number = factory.Sequence(lambda n: f"+1416555{n % 10_000:04d}")
    purpose = Consent.Purpose.MARKETING
    source = Consent.Source.WEB_FORM
    evidence = "signup form at https://acme.example/join, box 'Text me offers' ticked"
    collected_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    actor_label = "tests"


class NumberLookupFactory(TenantModelFactory):
    """A mobile number looked up just now."""

    class Meta:
        model = NumberLookup

    number = factory.Sequence(lambda n: f"+1416555{n % 10_000:04d}")
    valid = True
    line_type = "mobile"
    looked_up_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))
