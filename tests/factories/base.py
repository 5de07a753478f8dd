"""Acting inside a tenant's schema, and the base of the factories of tenant-schema tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import factory
from django_tenants.utils import tenant_context


@contextmanager
def in_tenant(tenant) -> Iterator[object]:
    """Run the block in `tenant`'s schema; the schema that was active before is active again afterwards."""
    with tenant_context(tenant):
        yield tenant


class TenantModelFactory(factory.django.DjangoModelFactory):
    """Creates its row inside the schema of the `tenant=` argument (required: tenant tables exist only there)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, tenant=None, **kwargs):
        if tenant is None:
            raise TypeError(f"{cls.__name__} needs tenant=: its table lives in a tenant's schema")
        with in_tenant(tenant):
            return super()._create(model_class, *args, **kwargs)
