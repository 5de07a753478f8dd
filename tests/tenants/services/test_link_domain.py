"""A tenant's link domain: a host name of its own, checked and stored through the settings service."""

from __future__ import annotations

import pytest

from tenants.errors import ValidationFailed
from tenants.models import Tenant
from tenants.services.settings import tenant_settings_update

pytestmark = pytest.mark.django_db


def test_a_host_name_is_stored(tenant_a):
    tenant_settings_update(tenant=tenant_a, actor=None, changes={"link_domain": "go.acme-appointments.com"})
    assert Tenant.objects.get(pk=tenant_a.pk).link_domain == "go.acme-appointments.com"


def test_it_can_be_cleared(tenant_a):
    tenant_settings_update(tenant=tenant_a, actor=None, changes={"link_domain": "go.acme.com"})
    tenant_settings_update(tenant=tenant_a, actor=None, changes={"link_domain": ""})
    assert Tenant.objects.get(pk=tenant_a.pk).link_domain == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://go.acme.com", "link_domain 'https://go.acme.com' is not a host name such as go.example.com"),
        ("go.acme.com/l", "link_domain 'go.acme.com/l' is not a host name such as go.example.com"),
        ("Go.Acme.com", "link_domain 'Go.Acme.com' is not a host name such as go.example.com"),
        ("localhost.", "link_domain 'localhost.' is not a host name such as go.example.com"),
        ("acme", "link_domain 'acme' is not a host name such as go.example.com"),
        ("-go.acme.com", "link_domain '-go.acme.com' is not a host name such as go.example.com"),
        ("go..acme.com", "link_domain 'go..acme.com' is not a host name such as go.example.com"),
        ("a" * 64 + ".com", f"link_domain '{'a' * 64}.com' is not a host name such as go.example.com"),
        ("acme.localhost", "link_domain 'acme.localhost' is a host of the platform already"),
        ("go.globex.com", "link_domain 'go.globex.com' is another tenant's"),
    ],
)
def test_what_is_no_host_name_or_routes_elsewhere_is_refused_and_nothing_changes(tenant_a, tenant_b, value, message):
    Tenant.objects.filter(pk=tenant_b.pk).update(link_domain="go.globex.com")
    with pytest.raises(ValidationFailed) as refused:
        tenant_settings_update(tenant=tenant_a, actor=None, changes={"link_domain": value})
    assert (refused.value.field, refused.value.message.split(" (")[0]) == ("link_domain", message)
    assert Tenant.objects.get(pk=tenant_a.pk).link_domain == ""
