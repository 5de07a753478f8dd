"""Click-through per owner and per variant: distinct clicking recipients ÷ recipients; other owners and another
tenant's clicks do not count."""

from __future__ import annotations

import pytest
from django.utils import timezone

from messaging import selectors
from messaging.models import LinkClick, TrackedLink
from messaging.selectors import ClickThrough
from tests.factories import in_tenant

pytestmark = pytest.mark.django_db


def _click(link, ref, variant=""):
    LinkClick.objects.create(link=link, recipient_ref=ref, variant=variant, clicked_at=timezone.now())


def test_click_through_counts_distinct_recipients_per_variant(tenant_a, tenant_b):
    with in_tenant(tenant_a):
        book = TrackedLink.objects.create(url="https://a.test/book", owner_kind="campaign", owner_id=1)
        help_ = TrackedLink.objects.create(url="https://a.test/help", owner_kind="campaign", owner_id=1)
        other = TrackedLink.objects.create(url="https://a.test/book", owner_kind="campaign", owner_id=2)
        for link, ref, variant in [
            (book, 1, "A"), (book, 1, "A"), (help_, 1, "A"),  # one recipient of A, three clicks
            (book, 2, "A"),
            (help_, 7, "B"),
            (other, 3, "A"), (other, 4, "B"),  # another campaign's
        ]:  # fmt: skip
            _click(link, ref, variant)
        rows = selectors.click_through(owner_kind="campaign", owner_id=1, recipients={"A": 10, "B": 8, "C": 2})
        links = {link.url: (link.click_count, link.clicking_recipients) for link in
                 selectors.tracked_links(owner_kind="campaign", owner_id=1)}  # fmt: skip
    assert rows == [
        ClickThrough(variant="", recipients=20, clicking_recipients=3, clicks=5),
        ClickThrough(variant="A", recipients=10, clicking_recipients=2, clicks=4),
        ClickThrough(variant="B", recipients=8, clicking_recipients=1, clicks=1),
        ClickThrough(variant="C", recipients=2, clicking_recipients=0, clicks=0),
    ]
    assert [row.rate for row in rows] == [0.15, 0.2, 0.125, 0.0]
    assert links == {"https://a.test/book": (3, 2), "https://a.test/help": (2, 2)}
    with in_tenant(tenant_b):
        assert selectors.click_through(owner_kind="campaign", owner_id=1, recipients={"": 5}) == [
            ClickThrough(variant="", recipients=5, clicking_recipients=0, clicks=0)
        ]


def test_no_recipients_is_a_rate_of_zero(tenant_a):
    with in_tenant(tenant_a):
        (row,) = selectors.click_through(owner_kind="message", owner_id=1, recipients={})
    assert (row.recipients, row.rate) == (0, 0.0)
