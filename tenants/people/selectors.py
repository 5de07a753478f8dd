"""Read-only queries about a tenant's people: members, invitations, accounts."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from tenants.models import Invitation, Membership, Tenant, User
from tenants.roles import ROLES
from tenants.tokens import token_hash

_ROLE_RANK = Case(
    *[When(role=role, then=Value(rank)) for rank, role in enumerate(ROLES)],
    default=Value(len(ROLES)),
    output_field=IntegerField(),
)


def memberships_of(tenant: Tenant) -> list[Membership]:
    """The tenant's members with their users, owners first, then by email."""
    return list(
        Membership.objects.filter(tenant=tenant)
        .select_related("user")
        .annotate(role_rank=_ROLE_RANK)
        .order_by("role_rank", "user__email")
    )


def membership_in(*, tenant: Tenant, membership_id: int) -> Membership | None:
    """One membership of this tenant (never another tenant's), with user and tenant."""
    return Membership.objects.select_related("user", "tenant").filter(tenant=tenant, pk=membership_id).first()


def is_member(*, user: User, tenant: Tenant) -> bool:
    """True when the user has any role in the tenant."""
    return Membership.objects.filter(user=user, tenant=tenant).exists()


def may_reset_password(*, user: User, tenant: Tenant, now: datetime | None = None) -> bool:
    """True when the user may get a password reset link on the tenant's host: a member, or the holder of a
    pending invitation (not used, revoked or expired) to it, who must sign in to accept it."""
    if is_member(user=user, tenant=tenant):
        return True
    return Invitation.objects.filter(
        tenant=tenant,
        email__iexact=user.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now or timezone.now(),
    ).exists()


def invitations_pending(tenant: Tenant, *, now: datetime | None = None) -> list[Invitation]:
    """Invitations that can still be accepted (not used, revoked or expired), newest first."""
    return list(
        Invitation.objects.filter(
            tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        ).select_related("invited_by")
    )


def invitation_in(*, tenant: Tenant, invitation_id: int) -> Invitation | None:
    """One invitation of this tenant, whatever its state."""
    return Invitation.objects.select_related("tenant").filter(tenant=tenant, pk=invitation_id).first()


def invitation_by_token(*, token: str, tenant: Tenant | None = None) -> Invitation | None:
    """The invitation a raw token names (restricted to `tenant` when given), whatever its state."""
    invitations = Invitation.objects.select_related("tenant", "invited_by").filter(token_hash=token_hash(token))
    if tenant is not None:
        invitations = invitations.filter(tenant=tenant)
    return invitations.first()


def user_by_email(email: str) -> User | None:
    """The account registered with this email (case-insensitive), if any."""
    return User.objects.filter(email__iexact=email.strip()).first()
