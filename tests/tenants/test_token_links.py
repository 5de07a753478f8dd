"""Links that carry tokens take the scheme and port of PUBLIC_BASE_URL, never the request's own: behind a
TLS-terminating proxy the request reaches Django over plain http, and the link must still be https."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tenants.models import SupportSession, User
from tenants.people import services
from tests.tenants.people.helpers import link_in

pytestmark = pytest.mark.django_db

PUBLIC_BASE_URL = "https://sms.example:8443"


@pytest.fixture(autouse=True)
def _public_on_https(settings):
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL


def test_the_support_link_is_https_when_the_admin_is_reached_over_http(public_client, tenant_a):
    # given
    staff = User.objects.create_superuser("staff@switchboard.test", "pw-staff-1")
    public_client.force_login(staff)

    # when: the proxy forwarded the staff member's https request as plain http
    response = public_client.post(
        f"/admin/tenants/tenant/{tenant_a.pk}/support/",
        {"reason": "ticket 42"},
        secure=False,
        HTTP_X_FORWARDED_PROTO="https",
    )

    # then
    assert response.status_code == 302
    assert re.fullmatch(r"https://acme\.localhost:8443/support/enter/[\w-]+/", response["Location"])
    assert SupportSession.objects.filter(tenant=tenant_a, staff=staff).count() == 1


def test_the_password_reset_link_is_https_when_asked_over_http(client_a, acme_member):
    uid = urlsafe_base64_encode(force_bytes(acme_member("owner", email="owner@acme.test").pk))

    asked = client_a.post("/password-reset/", {"email": "owner@acme.test"}, secure=False)

    assert asked.status_code == 302
    link = link_in(mail.outbox[0].body)
    assert re.fullmatch(rf"https://acme\.localhost:8443/password-reset/{uid}/[\w-]+/", link)


def test_the_invitation_link_is_https(tenant_a, acme_member, django_capture_on_commit_callbacks):
    owner = acme_member("owner")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(tenant=tenant_a, email="pat@acme.test", role="admin", invited_by=owner)

    assert re.fullmatch(r"https://acme\.localhost:8443/invitation/[\w-]+/", link_in(mail.outbox[0].body))


@pytest.mark.parametrize(
    ("public_base_url", "origin"),
    [
        ("https://sms.example", ("https", "acme.localhost")),
        ("https://sms.example:8443", ("https", "acme.localhost:8443")),
        ("http://localhost:8000", ("http", "acme.localhost:8000")),
    ],
)
def test_tenant_origin_takes_scheme_and_port_from_the_public_url(settings, tenant_a, public_base_url, origin):
    settings.PUBLIC_BASE_URL = public_base_url

    assert services.tenant_origin(tenant_a) == origin
