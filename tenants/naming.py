"""Tenant slugs and the schema and host names derived from them (pure)."""

import re

SLUG_BODY = r"[a-z][a-z0-9-]{1,29}[a-z0-9]"
SLUG_PATTERN = re.compile(rf"^{SLUG_BODY}\Z")  # \Z: "acme\n" is no slug
RESERVED_SLUGS = frozenset(
    {"public", "admin", "api", "www", "static", "media", "sandbox", "template", "tenant-template", "mail"}
)
# validate_slug's rules as one ECMA-262 regular expression, for the OpenAPI document.
SLUG_DOCUMENT_PATTERN = rf"^(?!(?:{'|'.join(sorted(RESERVED_SLUGS))})$)(?!.*--){SLUG_BODY}$"
SCHEMA_PREFIX = "t_"


class InvalidSlug(ValueError):
    """The slug cannot name a tenant; the message says why."""


def validate_slug(slug: str) -> str:
    """Return the slug if it is 3–31 lowercase letters, digits or inner hyphens and not reserved."""
    if not SLUG_PATTERN.match(slug or ""):
        raise InvalidSlug(
            "must be 3 to 31 characters: lowercase letters, digits and hyphens, "
            "starting with a letter and not ending with a hyphen"
        )
    if "--" in slug:
        raise InvalidSlug("must not contain two hyphens in a row")
    if slug in RESERVED_SLUGS:
        raise InvalidSlug(f"'{slug}' is reserved")
    return slug


def schema_name_for(slug: str) -> str:
    """The PostgreSQL schema of a tenant: derived from a validated slug, never from raw input."""
    return SCHEMA_PREFIX + validate_slug(slug).replace("-", "_")


def host_for(slug: str, platform_domain: str) -> str:
    """The tenant's own host name, e.g. `acme.localhost`."""
    return f"{validate_slug(slug)}.{platform_domain}"
