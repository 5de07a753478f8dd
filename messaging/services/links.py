"""Tracked links: a body's URLs become short links per recipient, and each click of one is recorded.

`links_prepare` stores one TrackedLink per distinct URL of the body for its owner (a campaign or a message) and
returns a `PreparedLinks`, whose `render(recipient_ref, variant)` is pure string work: a fan-out renders a million
bodies without a query. Every short link of a tenant has the same length (`link_base(tenant)` plus
`CODE_LENGTH` characters of base62), so a body's segment count is the same for every recipient: count the segments
of `sample()`, which is what `render` gives anyone, with a code that leads nowhere.

The redirect (`messaging/views/links.py`) finds the tenant from its link domain or from the tenant's prefix on the
platform host, checks the code's MAC (no query for a forged code), then reads the URL and records the click in one
statement.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from messaging.domain.links import (
    PLACEHOLDER_CODE,
    BodyTemplate,
    CodeSigner,
    LinkCode,
    LinkCodeError,
    body_template,
    find_urls,
)
from messaging.errors import MessagingValidationError
from messaging.models import TrackedLink
from tenants.models import Tenant

LINK_PATH = "/l/"


def link_signer(tenant_id: int) -> CodeSigner:
    """The signer of a tenant's codes, keyed by TRACKED_LINKS_KEY."""
    return CodeSigner(key=settings.TRACKED_LINKS_KEY.encode(), tenant_id=tenant_id)


def link_base(tenant: Tenant) -> str:
    """What every short link of the tenant starts with: `<scheme>://<link domain>/l/` when the tenant has a link
    domain, else `<PUBLIC_BASE_URL>/l/<slug>/` on the platform host. The scheme is PUBLIC_BASE_URL's."""
    if tenant.link_domain:
        scheme = urlsplit(settings.PUBLIC_BASE_URL).scheme or "https"
        return f"{scheme}://{tenant.link_domain}{LINK_PATH}"
    return f"{settings.PUBLIC_BASE_URL}{LINK_PATH}{tenant.slug}/"


def _skip_prefixes(tenant: Tenant) -> tuple[str, ...]:
    platform = f"{settings.PUBLIC_BASE_URL}{LINK_PATH}{tenant.slug}/"
    if not tenant.link_domain:
        return (platform,)
    return (platform, f"https://{tenant.link_domain}{LINK_PATH}", f"http://{tenant.link_domain}{LINK_PATH}")


@dataclass(frozen=True)
class PreparedLinks:
    """A body with its tracked URLs cut out, ready to render for any recipient without a query."""

    template: BodyTemplate
    base: str
    signer: CodeSigner = field(repr=False)
    links: dict[int, str]  # link id → URL

    @property
    def tracked(self) -> bool:
        return bool(self.template.link_ids)

    def render(self, recipient_ref: int, variant: str = "") -> str:
        """The body for one recipient: each URL replaced by its short link; LinkCodeError for a ref or variant that
        does not fit in a code."""
        if not self.template.link_ids:
            return self.template.chunks[0]
        recipient = self.signer.recipient(recipient_ref, variant)
        codes = {link_id: self.signer.sign_parts(prefix, recipient) for link_id, prefix in self._prefixes.items()}
        return self.template.render(self.base, [codes[link_id] for link_id in self.template.link_ids])

    def short_links(self, recipient_ref: int, variant: str = "") -> dict[str, str]:
        """Each tracked URL and its short link for one recipient (for a body rendered apart from this one)."""
        recipient = self.signer.recipient(recipient_ref, variant)
        return {self.links[i]: self.base + self.signer.sign_parts(p, recipient) for i, p in self._prefixes.items()}

    @cached_property
    def _prefixes(self) -> dict[int, str]:
        return {link_id: self.signer.prefix(link_id) for link_id in dict.fromkeys(self.template.link_ids)}

    def sample(self) -> str:
        """The body as every recipient gets it, with a code that leads nowhere: count segments and run the preflight
        on this; it has exactly the length of every rendered body."""
        return self.template.render(self.base, [PLACEHOLDER_CODE] * len(self.template.link_ids))


def links_preview(*, tenant: Tenant, body: str) -> PreparedLinks:
    """What `links_prepare` would make of a body, storing nothing: its `sample()` is the rewritten body."""
    spans = find_urls(body, skip_prefixes=_skip_prefixes(tenant))
    ids = {url: index for index, url in enumerate(dict.fromkeys(span.url for span in spans), start=1)}
    return PreparedLinks(
        template=body_template(body, spans, ids),
        base=link_base(tenant),
        signer=link_signer(tenant.pk),
        links={link_id: url for url, link_id in ids.items()},
    )


def links_prepare(*, tenant: Tenant, body: str, owner_kind: str, owner_id: int) -> PreparedLinks:
    """Store one TrackedLink per distinct URL of the body for its owner (again for the same owner: the same rows) and
    return the body ready to render per recipient. Runs in the tenant's schema."""
    if owner_kind not in TrackedLink.OwnerKind.values:
        kinds = ", ".join(TrackedLink.OwnerKind.values)
        raise MessagingValidationError(f"owner_kind must be one of {kinds}", field="owner_kind")
    spans = find_urls(body, skip_prefixes=_skip_prefixes(tenant))
    urls = list(dict.fromkeys(span.url for span in spans))
    with transaction.atomic():
        if urls:
            TrackedLink.objects.bulk_create(
                [TrackedLink(url=url, owner_kind=owner_kind, owner_id=owner_id) for url in urls],
                ignore_conflicts=True,
            )
        stored = dict(
            TrackedLink.objects.filter(owner_kind=owner_kind, owner_id=owner_id, url__in=urls).values_list("url", "id")
        )
    signer = link_signer(tenant.pk)
    for link_id in stored.values():
        signer.prefix(link_id)  # an id past the code's width is refused here, once, not per recipient
    return PreparedLinks(
        template=body_template(body, spans, stored),
        base=link_base(tenant),
        signer=signer,
        links={link_id: url for url, link_id in stored.items()},
    )


# --- The redirect: tenant routes, cached per process ----------------------------------------------------------------


@dataclass(frozen=True)
class LinkRoute:
    """Where a short link's tenant lives."""

    tenant_id: int
    schema_name: str


_routes: dict[tuple[str, str], tuple[float, LinkRoute | None]] = {}
_MAX_ROUTES = 10_000


def links_routes_forget() -> None:
    """Forget the cached routes of this process (after a link domain changes here; others wait for the TTL)."""
    _routes.clear()


def link_route(*, link_domain: str | None = None, slug: str | None = None) -> LinkRoute | None:
    """The tenant a link domain or a tenant prefix routes to (not a closed tenant), cached for
    TRACKED_LINKS_ROUTE_TTL seconds in this process, unknown ones too."""
    key = ("domain", link_domain) if link_domain is not None else ("slug", slug or "")
    now = time.monotonic()
    cached = _routes.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    query = Tenant.objects.exclude(status=Tenant.Status.CLOSED).exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
    query = query.filter(link_domain=link_domain) if link_domain is not None else query.filter(slug=slug)
    found = query.values_list("pk", "schema_name").first()
    route = LinkRoute(tenant_id=found[0], schema_name=found[1]) if found else None
    if len(_routes) >= _MAX_ROUTES:
        _routes.clear()
    _routes[key] = (now + settings.TRACKED_LINKS_ROUTE_TTL, route)
    return route


def link_code_verify(route: LinkRoute, code: str) -> LinkCode | None:
    """The parts of a code the route's tenant made, or None; no query."""
    return link_signer(route.tenant_id).verify(code)


# One round trip: the URL of the link, and the click inserted only if the link exists.
_CLICK = """
WITH link AS (SELECT id, url FROM {schema}.messaging_trackedlink WHERE id = %(link_id)s),
click AS (
    INSERT INTO {schema}.messaging_linkclick (link_id, recipient_ref, variant, clicked_at, user_agent, ip_hash)
    SELECT id, %(ref)s, %(variant)s, %(at)s, %(user_agent)s, %(ip_hash)s FROM link
)
SELECT url FROM link
"""
_URL_ONLY = "SELECT url FROM {schema}.messaging_trackedlink WHERE id = %(link_id)s"


def link_click_record(
    *,
    route: LinkRoute,
    code: LinkCode,
    user_agent: str = "",
    ip: str | None = None,
    at: datetime | None = None,
    record: bool = True,
) -> str | None:
    """Record a click of a verified code and return where it leads; None (nothing recorded) for a link that is not
    the tenant's. The address is kept only as a keyed hash. With `record` off, only where it leads."""
    schema = connection.ops.quote_name(route.schema_name)
    statement = _CLICK if record else _URL_ONLY
    params = {
        "link_id": code.link_id,
        "ref": code.recipient_ref,
        "variant": code.variant,
        "at": at or timezone.now(),
        "user_agent": user_agent[:300],
        "ip_hash": _ip_hash(ip),
    }
    connection.ensure_connection()
    # The driver's own cursor: the statement names its schema, so the search path (which django-tenants would set
    # first, one more round trip) does not matter.
    try:
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            cursor.execute(statement.format(schema=schema), params)
            row = cursor.fetchone()
    except ProgrammingError:  # the tenant's schema was dropped since its route was cached
        return None
    return row[0] if row else None


def _ip_hash(ip: str | None) -> str:
    if not ip:
        return ""
    return hmac.new(settings.TRACKED_LINKS_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:16]


__all__ = [
    "LinkCodeError",
    "LinkRoute",
    "PreparedLinks",
    "link_base",
    "link_click_record",
    "link_code_verify",
    "link_route",
    "links_prepare",
    "links_preview",
    "links_routes_forget",
]
