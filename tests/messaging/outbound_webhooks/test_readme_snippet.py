"""The README's verification snippet, run exactly as written: a receiver that checks deliveries with it accepts
every real delivery (also during a secret rotation) and refuses forged, altered and replayed ones."""

from __future__ import annotations

import ast
import hashlib
import hmac
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from messaging.outbound_webhooks.endpoints import webhook_endpoint_secret_rotate
from tests.factories import WebhookEndpointFactory, in_tenant
from tests.messaging.outbound_webhooks.conftest import attempt, delivery_of, publish

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[3] / "README.md"
HEADING = "### Verifying a delivery"


def readme_snippet() -> str:
    """The first ```python block after the README's heading on verifying a delivery, exactly as written."""
    text = README.read_text()
    after = text[text.index(HEADING) :]
    start = after.index("```python\n") + len("```python\n")
    return after[start : after.index("```", start)]


def load_snippet() -> dict:
    namespace: dict = {"__name__": "readme_snippet"}
    exec(compile(readme_snippet(), str(README), "exec"), namespace)
    return namespace


def test_the_snippet_uses_the_standard_library_only():
    tree = ast.parse(readme_snippet())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}  # fmt: skip
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"hashlib", "hmac", "time"}
    assert imported <= sys.stdlib_module_names


class SnippetReceiver:
    """An HTTP receiver that answers 204 to a request the README's snippet accepts under `secret`, else 400."""

    def __init__(self, check: Callable[[str, str, bytes], bool]):
        self.check = check
        self.secret = ""
        self.answers: list[int] = []
        self.url = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                valid = receiver.check(receiver.secret, self.headers.get("Switchboard-Signature", ""), body)
                receiver.answers.append(204 if valid else 400)
                self.send_response(receiver.answers[-1])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args) -> None:
                pass

        return Handler


@pytest.fixture
def snippet_receiver() -> Iterator[SnippetReceiver]:
    receiver = SnippetReceiver(load_snippet()["switchboard_signature_valid"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.handler())
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/switchboard"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


def forge(url: str, body: bytes, header: str) -> int:
    request = urllib.request.Request(url, data=body, headers={"Switchboard-Signature": header}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_receiver_using_the_snippet_accepts_real_deliveries_and_refuses_forged_ones(
    tenant_a, snippet_receiver, django_capture_on_commit_callbacks
):
    # given an endpoint whose receiver verifies with the README's snippet
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url=snippet_receiver.url, event_types=["message.delivered"])
    snippet_receiver.secret = endpoint.secret
    # when a real event is delivered, then it is accepted
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks, data={"id": "m-1", "status": "delivered"})
    assert attempt(tenant_a, delivery_id) == "succeeded"
    assert snippet_receiver.answers == [204]
    body = delivery_of(tenant_a, delivery_id).body.encode()
    now = int(time.time())
    # and forgeries are refused: no signature, a wrong secret, an altered body, an old signature replayed
    wrong_key = hmac.new(b"whsec_guessed", f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    genuine = hmac.new(endpoint.secret.encode(), f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    old = now - 301
    replayed = hmac.new(endpoint.secret.encode(), f"{old}.".encode() + body, hashlib.sha256).hexdigest()
    forgeries = [
        (body, ""),
        (body, f"t={now}"),
        (body, f"t={now},v1={wrong_key}"),
        (body.replace(b'"delivered"}', b'"failed"}'), f"t={now},v1={genuine}"),
        (body, f"t={now + 1},v1={genuine}"),
        (body, f"t={old},v1={replayed}"),
    ]
    assert [forge(snippet_receiver.url, forged, header) for forged, header in forgeries] == [400] * 6
    # while the genuine signature, sent the same way, passes
    assert forge(snippet_receiver.url, body, f"t={now},v1={genuine}") == 204


def test_a_receiver_still_on_the_previous_secret_accepts_deliveries_during_the_grace_period(
    tenant_a, snippet_receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url=snippet_receiver.url, event_types=["message.delivered"])
    snippet_receiver.secret = endpoint.secret
    with in_tenant(tenant_a):
        _, new_secret = webhook_endpoint_secret_rotate(tenant=tenant_a, endpoint=endpoint)
    (first,) = publish(tenant_a, django_capture_on_commit_callbacks)
    assert attempt(tenant_a, first) == "succeeded"
    snippet_receiver.secret = new_secret  # the receiver switches over
    (second,) = publish(tenant_a, django_capture_on_commit_callbacks)
    assert attempt(tenant_a, second) == "succeeded"
    assert snippet_receiver.answers == [204, 204]


def test_the_snippet_refuses_a_signature_older_than_five_minutes_by_its_own_clock():
    snippet = load_snippet()
    secret, body, signed_at = "whsec_test", b'{"id":"e"}', 1_796_126_700
    header = (
        f"t={signed_at},v1={hmac.new(secret.encode(), f'{signed_at}.'.encode() + body, hashlib.sha256).hexdigest()}"
    )
    for now, valid in ((signed_at + 300, True), (signed_at + 301, False), (signed_at - 301, False)):
        snippet["time"] = SimpleNamespace(time=lambda now=now: now)
        assert snippet["switchboard_signature_valid"](secret, header, body) is valid
