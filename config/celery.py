"""The Celery app and the project's one convention for tenant tasks.

A task that touches tenant tables is declared with `@tenant_task` and always receives an explicit
`schema_name` keyword argument; it runs inside that schema and refuses to run without one. Because the
schema travels as an argument (not as ambient state), a task enqueued from `transaction.on_commit`, from
beat or from another process lands in the right tenant. Enqueue with `enqueue_on_commit(task, **kwargs)`,
which captures the current schema when the work is scheduled, not when the transaction commits.
"""

from __future__ import annotations

import os

from celery import Celery, Task
from celery.schedules import crontab
from django.db import connection, transaction

# Workers and beat run production settings unless DJANGO_SETTINGS_MODULE says otherwise (`make run` sets local).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("switchboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.include = ["config.tasks"]

app.conf.beat_schedule = {
    "platform-heartbeat": {"task": "config.tasks.heartbeat", "schedule": 30.0},
    "purge-closed-tenants": {"task": "tenants.tasks.purge_closed_tenants", "schedule": 3600.0},
    "sweep-tenants": {"task": "messaging.tasks.sweep", "schedule": 30.0},
    "dispatch-tick": {"task": "messaging.tasks.dispatch_tick", "schedule": 1.0, "options": {"expires": 5}},
    "insights": {"task": "messaging.tasks.insights", "schedule": 60.0},
    "lookups-nightly": {"task": "messaging.tasks.lookups_nightly", "schedule": crontab(hour=3, minute=17)},
}
# Drains run on their own queue, so a long drain never holds up provisioning runs, sweeps or webhook work; outbound
# webhook deliveries on theirs, so slow receivers of tenants (up to 10 s each) can be given workers of their own.
app.conf.task_routes = {
    "messaging.tasks.dispatch_drain": {"queue": "dispatch"},
    "messaging.tasks.webhook_delivery_task": {"queue": "webhooks"},
}


class MissingSchemaName(RuntimeError):
    """A tenant task was called without `schema_name`."""


class UnknownTenantSchema(RuntimeError):
    """A tenant task named a schema that belongs to no tenant."""


class TenantTask(Task):
    """Runs the task body inside the tenant schema named by its `schema_name` keyword argument."""

    abstract = True

    def __call__(self, *args, **kwargs):
        from django_tenants.utils import schema_context

        from tenants.models import Tenant

        schema_name = kwargs.get("schema_name")
        if not schema_name:
            raise MissingSchemaName(f"{self.name} needs a schema_name keyword argument")
        with schema_context("public"):
            known = Tenant.objects.filter(schema_name=schema_name).exclude(schema_name="public").exists()
        if not known:
            raise UnknownTenantSchema(f"{self.name}: no tenant has schema {schema_name!r}")
        with schema_context(schema_name):
            return super().__call__(*args, **kwargs)


def tenant_task(*args, **options):
    """Declare a tenant task: `@tenant_task(name=...)`; its body runs in `schema_name`."""
    return app.task(*args, base=TenantTask, **options)


def enqueue_on_commit(task: Task, **kwargs) -> None:
    """Send `task` after the current transaction commits, in the schema active now."""
    kwargs.setdefault("schema_name", connection.schema_name)
    transaction.on_commit(lambda: task.apply_async(kwargs=kwargs))
