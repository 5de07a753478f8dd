"""Tracked-link services: rows once per URL and owner, bodies rendered per recipient without a query, fixed
length for segment counting, clicks recorded in the tenant's schema; a second tenant sees none of it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.domain.links import CODE_LENGTH, LinkCode, LinkCodeError
from messaging.domain.segments import count_segments
from messaging.errors import MessagingValidationError
from messaging.models import LinkClick, TrackedLink
from messaging.services.links import (
    link_base,
    link_click_record,
    link_code_verify,
    link_route,
    links_prepare,
    links_preview,
    links_routes_forget,
)
from tests.factories import in_tenant

pytestmark = pytest.mark.django_db

BODY = "Book at https://acme.test/book. Offer: https://acme.test/offer?x=1 or https://acme.test/book again"


@pytest.fixture(autouse=True)
def _fresh_routes():
    links_routes_forget()
    yield
    links_routes_forget()


def test_the_base_is_the_platform_host_with_the_slug_or_the_link_domain(tenant_a):
    assert link_base(tenant_a) == "http://localhost:8000/l/acme/"
    tenant_a.link_domain = "go.acme.localhost"
    assert link_base(tenant_a) == "http://go.acme.localhost/l/"


def test_prepare_stores_one_link_per_distinct_url_and_again_the_same(tenant_a):
    with in_tenant(tenant_a):
        first = links_prepare(tenant=tenant_a, body=BODY, owner_kind="campaign", owner_id=7)
        again = links_prepare(tenant=tenant_a, body=BODY, owner_kind="campaign", owner_id=7)
        other_owner = links_prepare(tenant=tenant_a, body=BODY, owner_kind="message", owner_id=7)
        rows = list(TrackedLink.objects.order_by("id").values_list("owner_kind", "owner_id", "url"))
    assert rows == [
        ("campaign", 7, "https://acme.test/book"),
        ("campaign", 7, "https://acme.test/offer?x=1"),
        ("message", 7, "https://acme.test/book"),
        ("message", 7, "https://acme.test/offer?x=1"),
    ]
    assert first.links == again.links
    assert sorted(first.links.values()) == ["https://acme.test/book", "https://acme.test/offer?x=1"]
    assert set(first.links).isdisjoint(other_owner.links)


def test_render_needs_no_query_and_every_body_has_the_sample_s_length(tenant_a):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body=BODY, owner_kind="campaign", owner_id=8)
    with CaptureQueriesContext(connection) as queries:
        bodies = [prepared.render(ref, variant) for ref in (1, 99, 10**12) for variant in ("", "A", "B")]
    assert len(queries) == 0
    sample = prepared.sample()
    base = "http://localhost:8000/l/acme/"
    assert sample == f"Book at {base}{'0' * 19}. Offer: {base}{'0' * 19} or {base}{'0' * 19} again"
    assert {len(body) for body in bodies} == {len(sample)}
    assert {count_segments(body).segments for body in bodies} == {count_segments(sample).segments} == {2}
    assert len(set(bodies)) == 9


def test_a_rendered_link_verifies_to_its_recipient_variant_and_url(tenant_a):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body="Go https://acme.test/x", owner_kind="message", owner_id=5)
    body = prepared.render(123, "B")
    code = body.removeprefix("Go http://localhost:8000/l/acme/")
    assert len(code) == CODE_LENGTH
    route = link_route(slug="acme")
    (link_id,) = prepared.links
    assert link_code_verify(route, code) == LinkCode(link_id=link_id, recipient_ref=123, variant="B")


def test_the_same_url_twice_gets_the_same_code(tenant_a):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body="a https://a.test b https://a.test", owner_kind="message",
                                 owner_id=1)  # fmt: skip
    first, second = prepared.render(4).split(" ")[1::2]
    assert first == second


def test_a_body_without_urls_is_left_as_it_is_and_stores_nothing(tenant_a):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body="No links", owner_kind="message", owner_id=1)
        assert TrackedLink.objects.count() == 0
    assert (prepared.tracked, prepared.render(1), prepared.sample()) == (False, "No links", "No links")


def test_our_own_short_links_are_not_wrapped_again(tenant_a):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body="Old http://localhost:8000/l/acme/abc", owner_kind="message",
                                 owner_id=1)  # fmt: skip
        assert TrackedLink.objects.count() == 0
    assert prepared.render(1) == "Old http://localhost:8000/l/acme/abc"


def test_preview_stores_nothing(tenant_a):
    with in_tenant(tenant_a):
        preview = links_preview(tenant=tenant_a, body=BODY)
        assert TrackedLink.objects.count() == 0
    assert preview.links == {1: "https://acme.test/book", 2: "https://acme.test/offer?x=1"}
    assert preview.sample().count("http://localhost:8000/l/acme/" + "0" * 19) == 3


@pytest.mark.parametrize(("ref", "variant"), [(-1, ""), (62**7, ""), (1, "AB")])
def test_render_refuses_what_a_code_cannot_hold(tenant_a, ref, variant):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body="https://a.test", owner_kind="message", owner_id=1)
    with pytest.raises(LinkCodeError):
        prepared.render(ref, variant)


def test_an_unknown_owner_kind_is_refused_and_nothing_stored(tenant_a):
    with in_tenant(tenant_a):
        with pytest.raises(MessagingValidationError, match="owner_kind must be one of campaign, message"):
            links_prepare(tenant=tenant_a, body="https://a.test", owner_kind="sequence", owner_id=1)
        assert TrackedLink.objects.count() == 0


def test_a_click_is_recorded_in_the_tenant_s_schema_only(tenant_a, tenant_b):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body="https://acme.test/x", owner_kind="message", owner_id=3)
    (link_id,) = prepared.links
    route = link_route(slug="acme")
    url = link_click_record(
        route=route, code=LinkCode(link_id=link_id, recipient_ref=3, variant="A"), user_agent="UA/1", ip="10.0.0.1"
    )
    assert url == "https://acme.test/x"
    with in_tenant(tenant_a):
        click = LinkClick.objects.get()
        assert (click.link_id, click.recipient_ref, click.variant, click.user_agent) == (link_id, 3, "A", "UA/1")
        assert len(click.ip_hash) == 16 and "10.0.0.1" not in click.ip_hash
    with in_tenant(tenant_b):
        assert LinkClick.objects.count() == 0


def test_a_click_on_a_link_the_tenant_does_not_have_records_nothing(tenant_a, tenant_b):
    with in_tenant(tenant_a):
        prepared = links_prepare(tenant=tenant_a, body="https://acme.test/x", owner_kind="message", owner_id=3)
    (link_id,) = prepared.links
    route_b = link_route(slug="globex")
    assert link_click_record(route=route_b, code=LinkCode(link_id=link_id, recipient_ref=3, variant="")) is None
    for tenant in (tenant_a, tenant_b):
        with in_tenant(tenant):
            assert LinkClick.objects.count() == 0


def test_routes_come_from_the_slug_or_the_link_domain_and_never_a_closed_tenant(tenant_a, tenant_b):
    tenant_a.link_domain = "go.acme.localhost"
    tenant_a.save(update_fields=["link_domain"])
    assert link_route(slug="acme").schema_name == tenant_a.schema_name
    assert link_route(link_domain="go.acme.localhost").tenant_id == tenant_a.pk
    assert link_route(link_domain="acme.localhost") is None
    assert link_route(slug="public") is None
    assert link_route(slug="nobody") is None
    tenant_b.status = "closed"
    tenant_b.save(update_fields=["status"])
    assert link_route(slug="globex") is None
