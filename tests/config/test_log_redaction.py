"""Link tokens never reach the logs: gunicorn's access and error lines and Django's own log lines mask them."""

from __future__ import annotations

import http.client
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from config.dev import launch
from config.log_redaction import TokenRedactingFilter, redact_tokens

BASE_DIR = Path(__file__).resolve().parents[2]
INVITATION_TOKEN = "Zq4vN8-tokenOfTheInvitation_0123456789abcdefg"
RESET_TOKEN = "cb7x2k-0123456789abcdef0123456789abcdef"
SUPPORT_TOKEN = "Hs3-tokenOfTheSupportLink_9876543210"


@pytest.mark.parametrize(
    ("text", "logged"),
    [
        ("GET /invitation/AbC-12_x/ HTTP/1.1", "GET /invitation/[redacted]/ HTTP/1.1"),
        ("POST /invitation/AbC-12_x/?step=2 HTTP/1.1", "POST /invitation/[redacted]/?step=2 HTTP/1.1"),
        ("/password-reset/MQ/cb7x2k-0123abcd/", "/password-reset/MQ/[redacted]/"),
        ("http://acme.localhost/support/enter/Hs3-x/", "http://acme.localhost/support/enter/[redacted]/"),
        ("Not Found: /invitation/AbC", "Not Found: /invitation/[redacted]"),
        ('"/invitation/a/" "/password-reset/MQ/b/"', '"/invitation/[redacted]/" "/password-reset/MQ/[redacted]/"'),
        # pages without a token are left as they are
        ("/password-reset/MQ/set-password/", "/password-reset/MQ/set-password/"),
        ("/password-reset/sent/", "/password-reset/sent/"),
        ("/password-reset/done/", "/password-reset/done/"),
        ("/password-reset/", "/password-reset/"),
        ("/team/invitations/12/revoke/", "/team/invitations/12/revoke/"),
        ("/admin/tenants/tenant/3/support/", "/admin/tenants/tenant/3/support/"),
        ("/support/exit/", "/support/exit/"),
    ],
)  # fmt: skip
def test_redact_tokens(text, logged):
    assert redact_tokens(text) == logged


# --- gunicorn ---------------------------------------------------------------------------------------------


def _gunicorn_logger(access_log: Path, access_log_format: str | None = None):
    """The logger gunicorn builds from `config.gunicorn`'s settings, writing the access log to a file."""
    cfg = Config()
    cfg.set("logger_class", "config.gunicorn.TokenRedactingLogger")
    cfg.set("accesslog", str(access_log))
    if access_log_format is not None:
        cfg.set("access_log_format", access_log_format)
    return cfg.logger_class(cfg)


def _request(method: str, raw_uri: str, referer: str):
    environ = {
        "REQUEST_METHOD": method,
        "RAW_URI": raw_uri,
        "PATH_INFO": raw_uri.split("?")[0],
        "QUERY_STRING": raw_uri.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    request = SimpleNamespace(headers=[("HOST", "acme.localhost"), ("REFERER", referer)])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", f"/invitation/{INVITATION_TOKEN}/")])
    return response, request, environ


@pytest.mark.parametrize(
    ("raw_uri", "logged_uri"),
    [
        (f"/invitation/{INVITATION_TOKEN}/", "/invitation/[redacted]/"),
        (f"/password-reset/MQ/{RESET_TOKEN}/", "/password-reset/MQ/[redacted]/"),
        (f"/support/enter/{SUPPORT_TOKEN}/", "/support/enter/[redacted]/"),
    ],
)
def test_the_access_log_line_carries_no_token(tmp_path, raw_uri, logged_uri):
    # given gunicorn's logger as config.gunicorn sets it up, with its default line format
    access_log = tmp_path / "access.log"
    logger = _gunicorn_logger(access_log)
    referer = f"http://acme.localhost/password-reset/MQ/{RESET_TOKEN}/"
    # when a request with a token in its path (and one in its Referer) is logged
    logger.access(*_request("GET", raw_uri, referer), timedelta(milliseconds=12))
    # then
    (line,) = access_log.read_text().splitlines()
    for token in (INVITATION_TOKEN, RESET_TOKEN, SUPPORT_TOKEN):
        assert token not in line
    assert f'"GET {logged_uri} HTTP/1.1" 302 0 "http://acme.localhost/password-reset/MQ/[redacted]/"' in line


def test_every_field_of_the_access_line_is_masked(tmp_path):
    access_log = tmp_path / "access.log"
    fields = "%(r)s|%(U)s|%(q)s|%(f)s|%({referer}i)s|%({location}o)s|%({raw_uri}e)s|%(s)s"
    logger = _gunicorn_logger(access_log, fields)
    uri = f"/invitation/{INVITATION_TOKEN}/?next=/support/enter/{SUPPORT_TOKEN}/"
    logger.access(*_request("POST", uri, f"https://acme.example/invitation/{INVITATION_TOKEN}/"), timedelta(0))
    assert access_log.read_text() == (
        "POST /invitation/[redacted]/?next=/support/enter/[redacted]/ HTTP/1.1"
        "|/invitation/[redacted]/"
        "|next=/support/enter/[redacted]/"
        "|https://acme.example/invitation/[redacted]/"
        "|https://acme.example/invitation/[redacted]/"
        "|/invitation/[redacted]/"
        "|/invitation/[redacted]/?next=/support/enter/[redacted]/"
        "|302\n"
    )


def test_gunicorns_error_lines_are_masked(tmp_path):
    error_log = tmp_path / "error.log"
    cfg = Config()
    cfg.set("logger_class", "config.gunicorn.TokenRedactingLogger")
    cfg.set("errorlog", str(error_log))
    logger = cfg.logger_class(cfg)
    logger.error("Error handling request %s", f"/invitation/{INVITATION_TOKEN}/")
    assert error_log.read_text().endswith("[ERROR] Error handling request /invitation/[redacted]/\n")


def wsgi_app(environ, start_response):
    """What the gunicorn started below serves: a redirect, like the reset link's first step."""
    start_response("302 Found", [("Location", "/password-reset/MQ/set-password/"), ("Content-Length", "0")])
    return [b""]


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: Path):
        super().__init__("acme.localhost")
        self.socket_path = str(path)

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.socket_path)


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"gunicorn did not start: {process.stderr.read() if process.stderr else ''}")
        time.sleep(0.05)


def test_gunicorn_started_with_the_projects_settings_masks_tokens(tmp_path):
    # given gunicorn started as the launcher and the README start it: with config.gunicorn's settings
    sock, access_log = tmp_path / "web.sock", tmp_path / "access.log"
    command = [sys.executable, "-m", "gunicorn", "tests.config.test_log_redaction:wsgi_app", "--config"]
    command += ["python:config.gunicorn", "--bind", f"unix:{sock}", "--workers", "1", "--no-control-socket"]
    command += ["--access-logfile", str(access_log)]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=dict(os.environ), stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(sock, process)
        # when a browser opens an emailed reset link
        connection = _UnixConnection(sock)
        connection.request("GET", f"/password-reset/MQ/{RESET_TOKEN}/", headers={"User-Agent": "test"})
        status = connection.getresponse().status
        connection.close()
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    # then the access log has the request, without its token
    assert status == 302
    (line,) = access_log.read_text().splitlines()
    assert '"GET /password-reset/MQ/[redacted]/ HTTP/1.1" 302 0 "-" "test"' in line
    assert RESET_TOKEN not in line + errors


def test_the_launcher_starts_gunicorn_with_the_projects_settings():
    position = launch.GUNICORN.index("--config")
    assert launch.GUNICORN[position + 1] == "python:config.gunicorn"


# --- Django's own loggers ---------------------------------------------------------------------------------


@pytest.fixture
def console():
    """What the console handler of the LOGGING setting writes, captured."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(item, TokenRedactingFilter) for item in handler.filters)
    ]
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


@pytest.mark.django_db
def test_djangos_request_log_carries_no_token(client_a, console):
    # when links with unknown tokens are opened (Django logs 4xx answers with their path)
    invitation = client_a.get(f"/invitation/{INVITATION_TOKEN}/")
    support = client_a.get(f"/support/enter/{SUPPORT_TOKEN}/")
    # then
    assert (invitation.status_code, support.status_code) == (404, 403)
    lines = [line.split(" ", 2)[2] for line in console.getvalue().splitlines()]
    assert lines == [
        "WARNING django.request: Not Found: /invitation/[redacted]/",
        "WARNING django.request: Forbidden: /support/enter/[redacted]/",
    ]


def test_a_traceback_carries_no_token(console):
    try:
        raise ValueError(f"no route for /invitation/{INVITATION_TOKEN}/")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: %s", f"/invitation/{INVITATION_TOKEN}/")
    written = console.getvalue()
    assert INVITATION_TOKEN not in written
    assert "Internal Server Error: /invitation/[redacted]/" in written
    assert "ValueError: no route for /invitation/[redacted]/" in written
