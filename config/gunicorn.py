"""Gunicorn's settings for Switchboard: `gunicorn -c python:config.gunicorn config.wsgi` (the launcher uses it too).

The access log goes to standard output, written by `TokenRedactingLogger`: every field of a line (request line,
path, query, Referer and other headers) has the tokens of invitation, password-reset and support-entry links
masked, and so do gunicorn's own error lines (`config.log_redaction`). Other settings (bind address, workers)
are given on the command line or in GUNICORN_CMD_ARGS.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from config.log_redaction import TokenRedactingFilter, redact_tokens

accesslog = "-"
logger_class = "config.gunicorn.TokenRedactingLogger"

_REDACTING_FILTER = TokenRedactingFilter()


class TokenRedactingLogger(Logger):
    """Gunicorn's logger with link tokens masked in access and error lines."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_REDACTING_FILTER)  # the same filter object, so a reload adds it once

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact_tokens(value) if isinstance(value, str) else value for name, value in atoms.items()}
