"""Single-use tokens that travel in URL paths are masked in every log line.

Invitation, password-reset and support-entry links carry their token in the path (`/invitation/<token>/`,
`/password-reset/<uidb64>/<token>/`, `/support/enter/<token>/`), so a request line, a path or a Referer header
naming such a page would otherwise write a usable token to the logs. Gunicorn's access and error logs mask them
through `config.gunicorn`; Django's own loggers through `TokenRedactingFilter` on the console handler (settings).
Only the record is masked: the links work as before.
"""

from __future__ import annotations

import logging
import re

MASK = "[redacted]"
_SEGMENT = r"[^/?#\s\"']+"
_TOKEN_IN_PATH = [
    re.compile(rf"(/(?:invitation|support/enter)/){_SEGMENT}"),
    # The reset view swaps the token for "set-password" once it is in the session; that step carries no secret.
    re.compile(rf"(/password-reset/{_SEGMENT}/)(?!set-password(?:[/?#\s\"']|$)){_SEGMENT}"),
]


def redact_tokens(text: str) -> str:
    """`text` with the token segment of every invitation, password-reset and support-entry path replaced by MASK."""
    for pattern in _TOKEN_IN_PATH:
        text = pattern.sub(rf"\g<1>{MASK}", text)
    return text


class TokenRedactingFilter(logging.Filter):
    """Masks link tokens in a record's message and traceback; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text once it is set, so the traceback is written as masked here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_tokens(record.exc_text)
        return True
