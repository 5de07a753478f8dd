"""Periodic work on the public schema: tenants past their retention period."""

from config.celery import app
from tenants.services.lifecycle import tenants_purge_expired


@app.task(name="tenants.tasks.purge_closed_tenants", ignore_result=True)
def purge_closed_tenants() -> list[str]:
    """Purge closed tenants whose retention period has ended (hourly, from beat)."""
    return tenants_purge_expired()
