"""https deliveries: the connection goes to the address that was checked, while TLS still names the host (SNI)
and verifies its certificate against that name, so a certificate for another name fails the attempt."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.factories import WebhookEndpointFactory
from tests.messaging.outbound_webhooks.conftest import attempt, delivery_of, publish

pytestmark = pytest.mark.django_db


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, issuer: str, public_key, signing_key, *, ca: bool, dns_name: str | None = None):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if dns_name:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


@dataclass
class TlsReceiver:
    port: int
    ca_file: str
    server_names: list[str | None] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)


def _pem(path: Path, *parts: bytes) -> str:
    path.write_bytes(b"".join(parts))
    return str(path)


@pytest.fixture
def tls_receiver(tmp_path, request) -> Iterator[TlsReceiver]:
    """An https receiver on 127.0.0.1 whose certificate (from a test CA) names `request.param`."""
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test CA", "Test CA", ca_key.public_key(), ca_key, ca=True)
    leaf = _certificate(request.param, "Test CA", leaf_key.public_key(), ca_key, ca=False, dns_name=request.param)
    pem = serialization.Encoding.PEM
    key_pem = leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(_pem(tmp_path / "leaf.pem", leaf.public_bytes(pem)), _pem(tmp_path / "key.pem", key_pem))
    receiver = TlsReceiver(port=0, ca_file=_pem(tmp_path / "ca.pem", ca.public_bytes(pem)))
    context.sni_callback = lambda sock, name, ctx: receiver.server_names.append(name)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.hosts.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("tls_receiver", ["hooks.example.com"], indirect=True)
def test_an_https_delivery_goes_to_the_checked_address_with_the_host_named_and_verified(
    tenant_a, dns, settings, tls_receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_CA_BUNDLE = tls_receiver.ca_file
    dns["hooks.example.com"] = ["127.0.0.1"]
    url = f"https://hooks.example.com:{tls_receiver.port}/in"
    WebhookEndpointFactory(tenant=tenant_a, url=url, event_types=["message.sent"])
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks, event_type="message.sent")
    assert attempt(tenant_a, delivery_id) == "succeeded"
    assert tls_receiver.server_names == ["hooks.example.com"]
    assert tls_receiver.hosts == [f"hooks.example.com:{tls_receiver.port}"]


@pytest.mark.parametrize("tls_receiver", ["other.example.com"], indirect=True)
def test_a_certificate_for_another_name_fails_the_attempt(
    tenant_a, dns, settings, tls_receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_CA_BUNDLE = tls_receiver.ca_file
    dns["hooks.example.com"] = ["127.0.0.1"]
    url = f"https://hooks.example.com:{tls_receiver.port}/in"
    WebhookEndpointFactory(tenant=tenant_a, url=url, event_types=["message.sent"])
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks, event_type="message.sent")
    assert attempt(tenant_a, delivery_id) == "failed"
    delivery = delivery_of(tenant_a, delivery_id)
    assert delivery.last_error.startswith("TLS failed: ")
    assert "hooks.example.com" in delivery.last_error
    assert tls_receiver.hosts == []


@pytest.mark.parametrize("tls_receiver", ["hooks.example.com"], indirect=True)
def test_a_certificate_from_an_unknown_authority_fails_the_attempt(
    tenant_a, dns, tls_receiver, django_capture_on_commit_callbacks
):
    dns["hooks.example.com"] = ["127.0.0.1"]
    url = f"https://hooks.example.com:{tls_receiver.port}/in"
    WebhookEndpointFactory(tenant=tenant_a, url=url, event_types=["message.sent"])
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks, event_type="message.sent")
    assert attempt(tenant_a, delivery_id) == "failed"
    assert "certificate verify failed" in delivery_of(tenant_a, delivery_id).last_error
    assert tls_receiver.hosts == []
