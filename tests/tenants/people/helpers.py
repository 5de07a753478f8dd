"""Constants and small helpers shared by the people tests."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery"  # what the acme_member / globex_member factories set
NEW_PASSWORD = "violet-kettle-harbour-93"
CLOCK_START = 1_800_000_000.0


def link_in(body: str) -> str:
    """The one http(s) link in an email body."""
    (link,) = re.findall(r"https?://\S+", body)
    return link


def path_of(link: str) -> str:
    """The path of an absolute link, for the test client."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]
