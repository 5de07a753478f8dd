"""Public-schema tables: tenants and their hosts, people and memberships, API keys."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: ISV staff (is_staff) or a tenant user (through memberships). Logs in with an email."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(default=False, help_text="ISV staff: may use the platform admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    totp_secret_encrypted = models.TextField(blank=True, help_text="Fernet-encrypted TOTP secret")
    totp_enabled_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None


class Tenant(TenantMixin):
    """An ISV customer: its own schema, host and Twilio subaccount."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=31, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    time_zone = models.CharField(max_length=64, default="UTC")
    default_country = models.CharField(max_length=2, default="US", help_text="ISO 3166-1 alpha-2")
    twilio_subaccount_sid = models.CharField(max_length=34, null=True, blank=True, unique=True)
    twilio_auth_token_encrypted = models.TextField(blank=True, help_text="Fernet-encrypted subaccount token")
    suspended_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateTimeField(null=True, blank=True, help_text="A closed tenant stays readable until")
    # Tenant settings (edited by the tenant's owners and admins)
    link_domain = models.CharField(max_length=253, blank=True, help_text="Branded domain for tracked links")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "suspended", "closed"]), name="tenant_status_valid"
            ),
        ]
        # What ISV staff may do to a tenant beyond viewing and editing it; the staff groups grant them.
        permissions = [
            ("suspend_tenant", "Can suspend and reactivate tenants"),
            ("close_tenant", "Can close tenants (final)"),
            ("provision_tenant", "Can provision tenants' Twilio subaccounts"),
            ("support_tenant", "Can enter a tenant's UI in read-only support mode"),
            ("manage_sender_registrations", "Can move tenants' sender registrations"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"

    @property
    def is_provisioned(self) -> bool:
        return bool(self.twilio_subaccount_sid and self.twilio_auth_token_encrypted)


class TenantLimits(models.Model):
    """Per-tenant limits that ISV staff edit."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="limits")
    api_requests_per_minute = models.PositiveIntegerField(
        default=600, help_text="API requests a minute for all the tenant's keys together; 0 = none"
    )
    daily_message_cap = models.PositiveIntegerField(
        default=100_000, help_text="Outbound messages a UTC day the tenant may create; 0 = none"
    )
    dispatch_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=1,
        help_text="The most of the dispatch workers this tenant may hold while others wait, 0 < share ≤ 1",
    )

    class Meta:
        verbose_name_plural = "tenant limits"
        constraints = [
            models.CheckConstraint(
                condition=Q(dispatch_share__gt=0) & Q(dispatch_share__lte=1), name="limits_dispatch_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Limits of {self.tenant.slug}"


class Domain(DomainMixin):
    """A host name that routes to a tenant (or to the public schema)."""

    def __str__(self) -> str:
        return self.domain


class Membership(models.Model):
    """A user's role in one tenant."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        OPERATOR = "operator", "Operator"
        ANALYST = "analyst", "Analyst"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tenant__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} of {self.tenant.slug}"


class ApiKey(models.Model):
    """A tenant's API key: only a hash is stored; the prefix identifies it in lists and logs."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Invitation(models.Model):
    """An emailed link that lets a person join a tenant with a role; only the token's hash is stored."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.tenant.slug} as {self.role}"


class PlatformApiKey(models.Model):
    """A key for the ISV's own automation on the platform API (`/api/platform/`); it reads `sbp_<prefix>_…`."""

    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "platform API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class AuditEvent(models.Model):
    """Who did what, when and from where. Written by services, never edited."""

    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=120, help_text="Email, API key prefix or 'system'")
    action = models.CharField(max_length=60, db_index=True)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="audit_tenant_recent")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"


class SupportSession(models.Model):
    """ISV staff viewing a tenant's UI read-only; each entry is audited."""

    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="support_sessions")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="support_sessions")
    reason = models.CharField(max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.staff} supporting {self.tenant.slug}"
