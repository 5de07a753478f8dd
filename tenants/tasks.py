"""Work on the public schema: tenants past their retention period (hourly), and the notice of a locked sign-in."""

from config.celery import app
from tenants.people.notices import signin_lock_notice_send
from tenants.services.lifecycle import tenants_purge_expired


@app.task(name="tenants.tasks.purge_closed_tenants", ignore_result=True)
def purge_closed_tenants() -> list[str]:
    """Purge closed tenants whose retention period has ended (hourly, from beat)."""
    return tenants_purge_expired()


@app.task(name="tenants.tasks.signin_lock_notice", ignore_result=True)
def signin_lock_notice(*, email: str, ip_address: str | None) -> bool:
    """Tell an account that its sign-in was locked (sent from a task, so that the guesser's answer takes as long
    whether or not the account exists)."""
    return signin_lock_notice_send(email=email, ip_address=ip_address)
