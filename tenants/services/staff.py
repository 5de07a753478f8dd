"""ISV staff groups: the database's groups made to match `tenants.staff_roles` (run by the migrations)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from tenants.staff_roles import EVERY_PERMISSION, STAFF_GROUPS


def staff_groups_sync(*, group_model=Group, permission_model=Permission, strict: bool = True) -> dict[str, int]:
    """Create the staff groups and give each exactly its permissions; returns how many each group holds.

    The models are arguments so a data migration can pass its historical ones. A permission named in the table
    that does not exist is an error (the table and the models must agree), unless `strict` is off: a migration that
    runs before a later app's models exist syncs what exists, and that app's own migration syncs again.
    """
    counts = {}
    with transaction.atomic():
        for name, wanted in STAFF_GROUPS.items():
            group, _ = group_model.objects.get_or_create(name=name)
            permissions = _permissions(permission_model, wanted, strict=strict)
            group.permissions.set(permissions)
            counts[name] = len(permissions)
    return counts


def _permissions(permission_model, wanted: tuple[str, ...] | str, *, strict: bool) -> list:
    everything = permission_model.objects.select_related("content_type")
    if wanted == EVERY_PERMISSION:
        return list(everything)
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in everything}
    missing = sorted(set(wanted) - set(by_name))
    if missing and strict:
        raise LookupError(f"staff groups name permissions that do not exist: {', '.join(missing)}")
    return [by_name[name] for name in wanted if name in by_name]
