"""A webhook URL checked against what its host resolves to now: at creation and again before every delivery, so a
host that later resolves to a private address (DNS rebinding) is refused, and the POST goes to the address checked."""

from __future__ import annotations

import socket

from django.conf import settings

from messaging.domain.webhooks.addresses import (
    UrlRefused,
    WebhookTarget,
    address_refusal,
    is_ip_literal,
    parse_webhook_url,
)
from messaging.errors import UnprocessableInput


class WebhookUrlRefused(UnprocessableInput):
    """A webhook URL we will not deliver to: its shape, or where its host leads."""

    def __init__(self, message: str):
        super().__init__(message, field="url")


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to, in the resolver's order, each once; OSError when it does not."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def checked_target(url: str) -> tuple[WebhookTarget, str]:
    """The URL taken apart and the address to connect to; WebhookUrlRefused (field `url`) when we may not.

    Every address the host resolves to must be public (unless WEBHOOKS_ALLOW_PRIVATE_URLS): one private answer
    among public ones is enough to refuse, since the connection could land on either.
    """
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_URLS
    try:
        target = parse_webhook_url(url, allow_private=allow_private)
    except UrlRefused as exc:
        raise WebhookUrlRefused(str(exc)) from exc
    if is_ip_literal(target.host):
        return target, target.host
    try:
        addresses = resolve(target.host, target.port)
    except (OSError, UnicodeError) as exc:
        raise WebhookUrlRefused(f"{target.host} cannot be resolved ({exc}).") from exc
    if not addresses:
        raise WebhookUrlRefused(f"{target.host} resolves to no address.")
    if not allow_private:
        for address in addresses:
            refusal = address_refusal(address)
            if refusal:
                raise WebhookUrlRefused(f"{target.host} resolves to {refusal}; the URL must reach a public address.")
    return target, addresses[0]
