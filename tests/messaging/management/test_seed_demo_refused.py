"""`seed_demo` refuses production settings before it creates anything (the subprocess case is in
tests/config/test_settings.py)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tenants.models import Tenant, User


@pytest.mark.django_db
def test_seed_demo_creates_nothing_where_demo_data_is_not_allowed(settings, fake_gateway):
    settings.DEMO_DATA_ALLOWED = False
    tenants = list(Tenant.objects.order_by("pk").values_list("slug", "status"))

    with pytest.raises(CommandError) as refused:
        call_command("seed_demo")

    assert str(refused.value) == (
        "seed_demo refuses to run under production settings: it creates a superuser and tenant owners whose "
        "password ('switchboard') is published"
    )
    assert not User.objects.filter(email__in=["admin@switchboard.test", "owner@acme.test"]).exists()
    assert list(Tenant.objects.order_by("pk").values_list("slug", "status")) == tenants
    assert fake_gateway.calls == []
