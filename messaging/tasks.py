"""Celery tasks of the messaging app: tenant tasks take a schema name and ids, never model instances.

Celery messages only wake work that PostgreSQL records: `dispatch_tick` (beat, every second) wakes a drain when a lane
is due, and rebuilds the index after Redis lost it; `sweep` (beat, every 30 s) wakes `tenant_sweep` in every tenant,
which resumes what a lost wake-up or a dead worker left behind (plan runs, webhook replays, contact imports, ordered
sequences whose advance was lost) and sends the webhook retries that are due. `insights` (beat, every minute) wakes
`tenant_insights` in every tenant, which squashes its insight deltas into the rollups and holds the result to the
tenant's health thresholds. `webhook_delivery_task` makes one attempt at one outbound webhook delivery;
`sequence_advance_task` moves an ordered sequence on. Every task here is safe to run twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings as django_settings
from django.utils import timezone

from compliance.services.settings import settings_get
from config.celery import app, tenant_task
from messaging.dispatch import drain, redis_index, sweeper
from messaging.insights.incidents import incidents_evaluate
from messaging.models import SenderPlan
from messaging.outbound_webhooks.delivery import webhook_delivery_attempt
from messaging.outbound_webhooks.sweep import webhook_deliveries_due, webhook_deliveries_purge
from messaging.selectors import contacts_lookup_due, sequences_due
from messaging.services.campaigns.fanout import campaign_expand
from messaging.services.campaigns.lifecycle import (
    campaign_complete_if_done,
    campaign_start_due,
    campaign_wake,
    campaigns_sweep,
)
from messaging.services.contacts.imports import import_drafts_discard, import_run, imports_stranded
from messaging.services.hygiene import numbers_look_up
from messaging.services.insights import insights_squash
from messaging.services.provisioning import plan_provision_run
from messaging.services.replays import webhook_replay_run, webhook_replays_pending
from messaging.services.sequences import sequence_advance
from tenants.selectors import tenant_for_schema, tenants_listed

logger = logging.getLogger(__name__)

# A run claims its plan and starts within seconds; one still waiting after this long lost its wake-up.
STRANDED_AFTER = timedelta(minutes=2)


@tenant_task(name="messaging.tasks.plan_provision_task", ignore_result=True)
def plan_provision_task(*, schema_name: str, plan_id: int) -> str | None:
    """Run (or resume) a sender plan's provisioning; a second copy finds the plan busy and leaves."""
    plan = plan_provision_run(tenant=tenant_for_schema(schema_name), plan_id=plan_id)
    return plan.status if plan is not None else None


@tenant_task(name="messaging.tasks.tenant_sweep", ignore_result=True)
def tenant_sweep(*, schema_name: str, full: bool = False) -> dict[str, int]:
    """Resume the tenant's stranded plan runs, and bring the dispatch index in line with its messages."""
    stranded = list(
        SenderPlan.objects.filter(
            status=SenderPlan.Status.PROVISIONING, provisioning_started_at__lt=timezone.now() - STRANDED_AFTER
        ).values_list("pk", flat=True)
    )
    for plan_id in stranded:
        plan_provision_task.apply_async(kwargs={"schema_name": schema_name, "plan_id": plan_id})
    replays = webhook_replays_pending()
    for replay_id in replays:
        webhook_replay_task.apply_async(kwargs={"schema_name": schema_name, "replay_id": replay_id})
    imports = imports_stranded()
    for job_id in imports:
        contact_import_task.apply_async(kwargs={"schema_name": schema_name, "job_id": job_id})
    import_drafts_discard()
    report = sweeper.sweep(tenant=tenant_for_schema(schema_name), full=full)
    campaigns = campaigns_sweep(schema=schema_name)
    deliveries = webhook_deliveries_due(now=timezone.now())
    for delivery_id in deliveries:
        webhook_delivery_task.apply_async(kwargs={"schema_name": schema_name, "delivery_id": delivery_id})
    webhook_deliveries_purge(now=timezone.now())
    sequences = sequences_due(now=timezone.now())
    for sequence_id in sequences:
        sequence_advance_task.apply_async(kwargs={"schema_name": schema_name, "sequence_id": sequence_id})
    return {
        "plans": len(stranded),
        "replays": len(replays),
        "imports": len(imports),
        "requeued": report.requeued,
        "resolved": report.resolved,
        "webhooks": len(deliveries),
        "sequences": len(sequences),
        "campaigns": campaigns,
    }


@tenant_task(name="messaging.tasks.campaign_fanout_task", ignore_result=True, bind=True)
def campaign_fanout_task(self, *, schema_name: str, campaign_id: int) -> str:
    """Expand the next chunks of a campaign, then enqueue itself for the rest (later while the tenant's outbox is
    over its threshold); a second copy finds the cursor moved and leaves."""
    campaign_start_due(campaign_id=campaign_id)
    report = campaign_expand(tenant=tenant_for_schema(schema_name), campaign_id=campaign_id)
    if report.outcome == "more":
        campaign_wake(schema_name, campaign_id)
    elif report.outcome == "waiting" and not self.request.is_eager:  # eager (tests): the sweep wakes it later
        campaign_wake(schema_name, campaign_id, countdown=django_settings.CAMPAIGN_BACKPRESSURE_SECONDS)
    elif report.outcome == "done":
        campaign_complete_if_done(campaign_id=campaign_id)
        if not self.request.is_eager:
            campaign_watch_task.apply_async(
                kwargs={"schema_name": schema_name, "campaign_id": campaign_id},
                countdown=django_settings.CAMPAIGN_WATCH_SECONDS,
            )
    return report.outcome


@tenant_task(name="messaging.tasks.campaign_watch_task", ignore_result=True, bind=True)
def campaign_watch_task(self, *, schema_name: str, campaign_id: int) -> str:
    """Complete an expanded campaign once its last message has left; looks again every few seconds meanwhile."""
    campaign = campaign_complete_if_done(campaign_id=campaign_id)
    if campaign.state == "running" and not self.request.is_eager:
        self.apply_async(
            kwargs={"schema_name": schema_name, "campaign_id": campaign_id},
            countdown=django_settings.CAMPAIGN_WATCH_SECONDS,
        )
    return campaign.state


@tenant_task(name="messaging.tasks.sequence_advance_task", ignore_result=True)
def sequence_advance_task(*, schema_name: str, sequence_id: int) -> str | None:
    """Move an ordered sequence on after its waiting part's callback or deadline; a second copy finds nothing to do."""
    sequence = sequence_advance(tenant=tenant_for_schema(schema_name), sequence_id=sequence_id)
    return sequence.status if sequence is not None else None


@tenant_task(name="messaging.tasks.contact_import_task", ignore_result=True)
def contact_import_task(*, schema_name: str, job_id: int) -> str | None:
    """Run (or resume, after a lost worker) a contact CSV import from its last committed row."""
    job = import_run(job_id=job_id)
    return job.status if job is not None else None


@tenant_task(name="messaging.tasks.webhook_replay_task", ignore_result=True)
def webhook_replay_task(*, schema_name: str, replay_id: int) -> bool:
    """Replay an inbound webhook kept by the fallback URL; the sweep tries again while it fails."""
    return webhook_replay_run(replay_id=replay_id, tenant=tenant_for_schema(schema_name))


@tenant_task(name="messaging.tasks.webhook_delivery_task", ignore_result=True)
def webhook_delivery_task(*, schema_name: str, delivery_id: int) -> str:
    """One attempt at an outbound webhook delivery; a second copy finds it claimed or done and leaves."""
    return webhook_delivery_attempt(delivery_id=delivery_id, schema_name=schema_name)


@app.task(name="messaging.tasks.sweep", ignore_result=True)
def sweep(full: bool = False) -> int:
    """Wake the sweep of every tenant not yet purged (beat, every 30 s); returns how many were woken."""
    tenants = list(tenants_listed().values_list("schema_name", flat=True))
    for schema in tenants:
        tenant_sweep.apply_async(kwargs={"schema_name": schema, "full": full}, expires=60)
    return len(tenants)


@app.task(name="messaging.tasks.dispatch_tick", ignore_result=True)
def dispatch_tick() -> str:
    """Every second: after Redis lost its data, rebuild the whole index; else wake a drain when a lane is due."""
    if not redis_index.index_whole():
        redis_index.mark_index_whole()
        sweep.apply_async(kwargs={"full": True})
        return "rebuilding"
    due_in = redis_index.next_ready_in_ms()
    if due_in is not None and due_in < 1000 and drain.wake():
        return "woken"
    return "idle"


@app.task(name="messaging.tasks.dispatch_drain", ignore_result=True)
def dispatch_drain() -> dict[str, int] | None:
    """Send what is due for a while (the dispatch queue's workers run it); enqueues itself again while work remains."""
    report = drain.run_drain_task()
    return dict(report.outcomes) if report is not None else None


@tenant_task(name="messaging.tasks.lookups_task", ignore_result=True)
def lookups_task(*, schema_name: str, numbers: list[str]) -> dict[str, int]:
    """Look up the line type of `numbers` (those not known or expired) for the tenant; safe to run twice."""
    report = numbers_look_up(tenant=tenant_for_schema(schema_name), numbers=numbers)
    return {"looked_up": report.looked_up, "fresh": report.fresh, "failed": len(report.failed)}


@tenant_task(name="messaging.tasks.tenant_lookups_nightly", ignore_result=True)
def tenant_lookups_nightly(*, schema_name: str) -> dict[str, int]:
    """The tenant's nightly Lookup run, when its settings ask for one: contacts never or long ago looked up."""
    if not settings_get(tenant=tenant_for_schema(schema_name)).lookup_nightly:
        return {"looked_up": 0, "fresh": 0, "failed": 0}
    numbers = contacts_lookup_due(limit=django_settings.LOOKUP_NIGHTLY_LIMIT)
    return lookups_task(schema_name=schema_name, numbers=numbers)


@tenant_task(name="messaging.tasks.tenant_lookups_due", ignore_result=True)
def tenant_lookups_due(*, schema_name: str, limit: int) -> dict[str, int]:
    """Look up up to `limit` of the tenant's contacts never or long ago looked up (after an import)."""
    return lookups_task(schema_name=schema_name, numbers=contacts_lookup_due(limit=limit))


@app.task(name="messaging.tasks.lookups_nightly", ignore_result=True)
def lookups_nightly() -> int:
    """Beat, once a night: every active tenant's Lookup run (each decides by its settings)."""
    schemas = list(tenants_listed().filter(status="active").values_list("schema_name", flat=True))
    for schema in schemas:
        tenant_lookups_nightly.apply_async(kwargs={"schema_name": schema})
    return len(schemas)


@tenant_task(name="messaging.tasks.tenant_insights", ignore_result=True)
def tenant_insights(*, schema_name: str) -> dict[str, int]:
    """Squash the tenant's insight deltas into its rollups (and the public one), then open and close incidents."""
    tenant = tenant_for_schema(schema_name)
    report = insights_squash(tenant=tenant)
    evaluation = incidents_evaluate(tenant=tenant, now=timezone.now())
    return {"hours": report.hours, "opened": len(evaluation.opened), "closed": len(evaluation.closed)}


@app.task(name="messaging.tasks.insights", ignore_result=True)
def insights() -> int:
    """Beat, every minute: every tenant's squash and health check; returns how many were woken."""
    schemas = list(tenants_listed().exclude(status="closed").values_list("schema_name", flat=True))
    for schema in schemas:
        tenant_insights.apply_async(kwargs={"schema_name": schema}, expires=120)
    return len(schemas)
