"""What the people service tests share: an invitation made by a member, and a tenant's audit entries."""

from tenants.models import AuditEvent
from tenants.people import services


def invite(tenant, actor, email="new.person@example.test", role="operator", now=None):
    return services.invitation_create(tenant=tenant, email=email, role=role, invited_by=actor, now=now)


def audit_of(tenant, action):
    return list(AuditEvent.objects.filter(tenant=tenant, action=action).values("actor_label", "target", "details"))
