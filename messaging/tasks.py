"""Celery tasks of the messaging app: tenant tasks take a schema name and ids, never model instances.

`sweep` (beat, public schema) wakes `tenant_sweep` in every active tenant; the tenant sweep resumes what a lost
wake-up or a dead worker left behind. Every task here is safe to run twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from config.celery import app, tenant_task
from messaging.models import SenderPlan
from messaging.services.provisioning import plan_provision_run
from tenants.selectors import tenant_for_schema, tenants_active

logger = logging.getLogger(__name__)

# A run claims its plan and starts within seconds; one still waiting after this long lost its wake-up.
STRANDED_AFTER = timedelta(minutes=2)


@tenant_task(name="messaging.tasks.plan_provision_task", ignore_result=True)
def plan_provision_task(*, schema_name: str, plan_id: int) -> str | None:
    """Run (or resume) a sender plan's provisioning; a second copy finds the plan busy and leaves."""
    plan = plan_provision_run(tenant=tenant_for_schema(schema_name), plan_id=plan_id)
    return plan.status if plan is not None else None


@tenant_task(name="messaging.tasks.tenant_sweep", ignore_result=True)
def tenant_sweep(*, schema_name: str) -> list[int]:
    """Resume the tenant's plans whose provisioning run lost its wake-up; returns their ids."""
    stranded = list(
        SenderPlan.objects.filter(
            status=SenderPlan.Status.PROVISIONING, provisioning_started_at__lt=timezone.now() - STRANDED_AFTER
        ).values_list("pk", flat=True)
    )
    for plan_id in stranded:
        plan_provision_task.apply_async(kwargs={"schema_name": schema_name, "plan_id": plan_id})
    return stranded


@app.task(name="messaging.tasks.sweep", ignore_result=True)
def sweep() -> int:
    """Wake the sweep of every active tenant (beat, every minute); returns how many were woken."""
    tenants = tenants_active()
    for tenant in tenants:
        tenant_sweep.apply_async(kwargs={"schema_name": tenant.schema_name}, expires=60)
    return len(tenants)
