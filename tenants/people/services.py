"""Write operations on a tenant's people: invitations, roles, removal, password resets. Every change is audited.

An actor of None is the platform itself (tenant creation). Any other actor, ISV staff included, acts by their own
membership role: `team.manage` in the tenant, and `owners.manage` to grant, remove or invite an owner (staff
manage roles from the platform admin). The actor's role is read under a row lock inside the transaction that
makes the change, so a role taken away concurrently cannot still authorise it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tenants import naming
from tenants.audit import audit_record
from tenants.errors import Conflict, ValidationFailed
from tenants.models import Invitation, Membership, Tenant, User
from tenants.people import selectors, throttle
from tenants.people.errors import InvitationInvalid, NotAllowed, TooManyEmails
from tenants.roles import OWNER, role_allows
from tenants.tokens import token_generate, token_hash

INVITATION_VALID_HOURS = 72
INVITATION_VALID_FOR = timedelta(hours=INVITATION_VALID_HOURS)

NOT_ALLOWED_MESSAGES = {
    "team.manage": "Your role does not allow managing the team.",
    "owners.manage": "Only owners may grant or remove the owner role.",
}


# --- helpers ----------------------------------------------------------------------------------------


def _require_role(*, actor: User | None, role: str | None, permission: str) -> None:
    """Raise NotAllowed unless the actor is the platform (None) or `role`, the actor's own, holds the permission."""
    if actor is not None and not role_allows(role, permission):
        raise NotAllowed(NOT_ALLOWED_MESSAGES[permission])


def _require(*, tenant: Tenant, actor: User | None, permission: str) -> None:
    """`_require_role` with the actor's role read under a row lock; call inside `transaction.atomic`."""
    role = None
    if actor is not None:
        memberships = Membership.objects.select_for_update().filter(tenant=tenant, user=actor)
        role = memberships.values_list("role", flat=True).first()
    _require_role(actor=actor, role=role, permission=permission)


def _validate_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationFailed(f"Role must be one of {', '.join(Membership.Role.values)}.", field="role")


def _normalized_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationFailed(f"'{email}' is not an email address.", field="email") from exc
    return email


@dataclass(frozen=True)
class _Locked:
    membership: Membership
    owner_ids: list[int]
    actor_role: str | None


def _locked_membership(*, tenant: Tenant, membership: Membership, actor: User | None) -> _Locked:
    """The membership and the actor's role re-read under row locks, and the ids of the tenant's owners; raises
    NotAllowed unless the actor's role, as locked, holds `team.manage`.

    The owners are locked first, then the membership and the actor's own, each in a fixed order, so that two
    concurrent demotions cannot both pass the last-owner check and concurrent changes cannot deadlock.
    """
    owner_ids = list(
        Membership.objects.select_for_update()
        .filter(tenant=tenant, role=OWNER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    actor_rows = Q(tenant=tenant, user=actor) if actor is not None else Q(pk__in=[])
    rows = list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(Q(pk=membership.pk) | actor_rows)
        .order_by("pk")
    )
    actor_role = next(
        (row.role for row in rows if actor is not None and (row.tenant_id, row.user_id) == (tenant.pk, actor.pk)),
        None,
    )
    _require_role(actor=actor, role=actor_role, permission="team.manage")
    current = next((row for row in rows if row.pk == membership.pk), None)
    if current is None:
        raise Conflict(f"{membership.user.email} is no longer a member of {tenant.name}.", field="membership")
    return _Locked(membership=current, owner_ids=owner_ids, actor_role=actor_role)


def _ensure_not_last_owner(*, tenant: Tenant, membership: Membership, owner_ids: list[int]) -> None:
    if owner_ids == [membership.pk]:
        raise Conflict(f"{tenant.name} must keep at least one owner. Make someone else an owner first.", field="role")


def tenant_origin(tenant: Tenant) -> tuple[str, str]:
    """The scheme and `host[:port]` of the tenant's own host: the scheme and port are PUBLIC_BASE_URL's, never
    the request's, so a link that carries a token is never downgraded to http behind a TLS-terminating proxy."""
    base = urlsplit(settings.PUBLIC_BASE_URL)
    domain = tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    host = domain or naming.host_for(tenant.slug, settings.PLATFORM_DOMAIN)
    port = f":{base.port}" if base.port else ""
    return base.scheme, f"{host}{port}"


def tenant_url(tenant: Tenant, path: str) -> str:
    """An absolute URL on the tenant's own host, with the scheme and port of PUBLIC_BASE_URL."""
    scheme, netloc = tenant_origin(tenant)
    return f"{scheme}://{netloc}{path}"


# --- invitations ------------------------------------------------------------------------------------


def invitation_create(
    *,
    tenant: Tenant,
    email: str,
    role: str,
    invited_by: User | None,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite a person by email; returns the row and the raw token, which only the emailed link carries.

    The link is valid for 72 hours and once. Inviting the same address again replaces its pending invitation.
    The email is sent when the transaction commits; past the hourly limits on invitation emails (per address within
    the tenant, and per tenant) the invitation is refused with TooManyEmails and nothing changes.
    """
    email = _normalized_email(email)
    _validate_role(role)
    now = now or timezone.now()
    token = token_generate()
    with transaction.atomic():
        _require(tenant=tenant, actor=invited_by, permission="team.manage")
        if role == OWNER:
            _require(tenant=tenant, actor=invited_by, permission="owners.manage")
        if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
            raise Conflict(f"{email} is already a member of {tenant.name}.", field="email")
        _invitation_email_reserve(tenant=tenant, email=email)
        replaced = Invitation.objects.filter(
            tenant=tenant, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            tenant=tenant,
            email=email,
            role=role,
            token_hash=token_hash(token),
            invited_by=invited_by,
            expires_at=now + INVITATION_VALID_FOR,
        )
        audit_record(
            action="invitation.created",
            tenant=tenant,
            actor=invited_by,
            target=email,
            details={"role": role, "replaced": replaced},
            ip_address=ip_address,
        )

        def send() -> None:
            _invitation_email_send(invitation=invitation, token=token)

        # robust: a mail server failure is logged and must not fail the request after the invitation is saved;
        # inviting the same address again sends a fresh link. (A named function: Django names a failed robust
        # callback by its __qualname__, which a functools.partial lacks.)
        transaction.on_commit(send, robust=True)
    return invitation, token


def _invitation_email_reserve(*, tenant: Tenant, email: str) -> None:
    refused = throttle.invitation_email_reserve(email=email, tenant_id=tenant.pk)
    if refused == throttle.ADDRESS_LIMIT:
        limit = throttle.EMAILS_PER_ADDRESS
        raise TooManyEmails(f"{email} was sent {limit} invitations in the last hour. Try again later.", field="email")
    if refused == throttle.TENANT_LIMIT:
        limit = throttle.EMAILS_PER_TENANT
        raise TooManyEmails(
            f"{tenant.name} has sent {limit} invitations in the last hour. Try again later.", field="email"
        )


def owner_invite(*, tenant: Tenant, email: str) -> tuple[Invitation, str]:
    """Invite a new tenant's first owner (the platform invites, so no member needs to exist yet)."""
    return invitation_create(tenant=tenant, email=email, role=OWNER, invited_by=None)


def _invitation_email_send(*, invitation: Invitation, token: str) -> None:
    tenant = invitation.tenant
    path = reverse("ui:invitation_accept", kwargs={"token": token}, urlconf=settings.ROOT_URLCONF)
    context = {
        "tenant": tenant,
        "invitation": invitation,
        "role": invitation.get_role_display(),
        "inviter": (invitation.invited_by.full_name or invitation.invited_by.email) if invitation.invited_by else "",
        "accept_url": tenant_url(tenant, path),
        "valid_hours": INVITATION_VALID_HOURS,
    }
    send_mail(
        subject=f"You're invited to {tenant.name} on Switchboard",
        message=render_to_string("tenants/people/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_ensure_usable(invitation: Invitation | None, *, now: datetime | None = None) -> Invitation:
    """The invitation if it can still be accepted; raises InvitationInvalid saying why it cannot."""
    if invitation is None:
        raise InvitationInvalid("This invitation link is not valid.", reason="unknown")
    if invitation.accepted_at is not None:
        raise InvitationInvalid("This invitation has already been used.", reason="used")
    if invitation.revoked_at is not None:
        raise InvitationInvalid("This invitation was revoked. Ask for a new one.", reason="revoked")
    if invitation.expires_at <= (now or timezone.now()):
        raise InvitationInvalid("This invitation has expired. Ask for a new one.", reason="expired")
    return invitation


def _account_create(*, email: str, full_name: str, password: str) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"An account for {email} already exists. Sign in to accept.", field="email")
    full_name = full_name.strip()
    if not full_name:
        raise ValidationFailed("Enter your name.", field="full_name")
    try:
        password_validation.validate_password(password, user=User(email=email, full_name=full_name))
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    return User.objects.create_user(email, password, full_name=full_name)


def invitation_accept(
    *,
    token: str,
    tenant: Tenant | None = None,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    ip_address: str | None = None,
    now: datetime | None = None,
) -> Membership:
    """Use an invitation: an existing `user` (who must own the invited email) joins, or a new account is made
    from `full_name` and `password`. Single use; a person who is already a member keeps their role."""
    now = now or timezone.now()
    with transaction.atomic():
        invitations = Invitation.objects.select_for_update().filter(token_hash=token_hash(token))
        if tenant is not None:
            invitations = invitations.filter(tenant=tenant)
        invitation = invitation_ensure_usable(invitations.first(), now=now)
        if user is None:
            user = _account_create(email=invitation.email, full_name=full_name, password=password)
            new_account = True
        elif user.email.lower() != invitation.email.lower():
            raise NotAllowed(f"This invitation is for {invitation.email}. Sign in with that account.")
        else:
            new_account = False
        membership, _ = Membership.objects.get_or_create(
            user=user, tenant=invitation.tenant, defaults={"role": invitation.role}
        )
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            action="invitation.accepted",
            tenant=invitation.tenant,
            actor=user,
            target=invitation.email,
            details={"role": membership.role, "new_account": new_account},
            ip_address=ip_address,
        )
    return membership


def invitation_revoke(
    *, invitation: Invitation, actor: User | None, ip_address: str | None = None, now: datetime | None = None
) -> Invitation:
    """Withdraw a pending invitation so its link stops working; revoking twice changes nothing.

    The invitation is re-read under a row lock, so one accepted meanwhile is refused, never marked revoked.
    """
    tenant = invitation.tenant
    with transaction.atomic():
        current = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if current is None:
            raise Conflict(f"The invitation of {invitation.email} no longer exists.", field="invitation")
        _require(tenant=tenant, actor=actor, permission="team.manage")
        if current.role == OWNER:
            _require(tenant=tenant, actor=actor, permission="owners.manage")
        if current.accepted_at is not None:
            raise Conflict("This invitation was already accepted. Remove the member instead.", field="invitation")
        if current.revoked_at is not None:
            return current
        current.revoked_at = now or timezone.now()
        current.save(update_fields=["revoked_at"])
        audit_record(
            action="invitation.revoked",
            tenant=tenant,
            actor=actor,
            target=current.email,
            details={"role": current.role},
            ip_address=ip_address,
        )
    return current


# --- memberships ------------------------------------------------------------------------------------


def membership_role_change(
    *, membership: Membership, role: str, actor: User | None, ip_address: str | None = None
) -> Membership:
    """Give a member another role; only owners grant or take away the owner role, and the last owner stays."""
    _validate_role(role)
    tenant = membership.tenant
    with transaction.atomic():
        locked = _locked_membership(tenant=tenant, membership=membership, actor=actor)
        current = locked.membership
        if OWNER in (role, current.role):
            _require_role(actor=actor, role=locked.actor_role, permission="owners.manage")
        if current.role == role:
            return current
        if current.role == OWNER:
            _ensure_not_last_owner(tenant=tenant, membership=current, owner_ids=locked.owner_ids)
        previous, current.role = current.role, role
        current.save(update_fields=["role"])
        audit_record(
            action="membership.role_changed",
            tenant=tenant,
            actor=actor,
            target=current.user.email,
            details={"from": previous, "to": role},
            ip_address=ip_address,
        )
    return current


def membership_remove(*, membership: Membership, actor: User | None, ip_address: str | None = None) -> None:
    """Take a person out of the tenant (their account stays); the last owner cannot be removed."""
    tenant = membership.tenant
    with transaction.atomic():
        locked = _locked_membership(tenant=tenant, membership=membership, actor=actor)
        current = locked.membership
        if current.role == OWNER:
            _require_role(actor=actor, role=locked.actor_role, permission="owners.manage")
            _ensure_not_last_owner(tenant=tenant, membership=current, owner_ids=locked.owner_ids)
        current.delete()
        audit_record(
            action="membership.removed",
            tenant=tenant,
            actor=actor,
            target=current.user.email,
            details={"role": current.role},
            ip_address=ip_address,
        )


# --- passwords --------------------------------------------------------------------------------------


def password_reset_email_allowed(*, user: User, tenant: Tenant) -> bool:
    """True when a reset link may be emailed to the user from the tenant's host now (the email is then counted):
    they may reset here, and neither their address nor the tenant has had its hourly share of reset emails."""
    if not selectors.may_reset_password(user=user, tenant=tenant):
        return False
    return throttle.reset_email_reserve(email=user.email, tenant_id=tenant.pk) is None


def password_reset_record(*, user: User, tenant: Tenant, ip_address: str | None = None) -> None:
    """Audit a password set through an emailed reset link on a tenant's host."""
    audit_record(action="user.password_reset", tenant=tenant, actor=user, target=user.email, ip_address=ip_address)
