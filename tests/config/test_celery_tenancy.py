"""The tenant task convention: a task enqueued in tenant A runs in tenant A."""

import time

import pytest
from django.db import connection, transaction

from config.celery import MissingSchemaName, UnknownTenantSchema, enqueue_on_commit, tenant_task
from messaging.models import Contact
from tests.fixtures.workers import celery_worker

SEEN: list[tuple[str, str]] = []


@tenant_task(name="tests.record_contact_schema")
def record_contact_schema(*, schema_name: str, contact_id: int) -> tuple[str, str]:
    contact = Contact.objects.get(pk=contact_id)
    SEEN.append((connection.schema_name, contact.phone_number))
    return connection.schema_name, contact.phone_number


@pytest.fixture(autouse=True)
def _clear_seen():
    SEEN.clear()


@pytest.mark.django_db
def test_task_runs_in_the_schema_it_names(in_tenant_a, tenant_b):
    # given a contact in each tenant with the same id
    contact_a = Contact.objects.create(phone_number="+14155550111")
    connection.set_tenant(tenant_b)
    contact_b = Contact.objects.create(phone_number="+447911123499")
    connection.set_schema_to_public()
    # when
    record_contact_schema.delay(schema_name="t_acme", contact_id=contact_a.pk)
    record_contact_schema.delay(schema_name="t_globex", contact_id=contact_b.pk)
    # then
    assert SEEN == [("t_acme", "+14155550111"), ("t_globex", "+447911123499")]


@pytest.mark.django_db
def test_on_commit_keeps_the_schema_of_the_enqueuer(in_tenant_a, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        contact = Contact.objects.create(phone_number="+14155550112")
        enqueue_on_commit(record_contact_schema, contact_id=contact.pk)
        # the request moves on to another schema before the transaction commits
        connection.set_schema_to_public()
        assert SEEN == []
    # then
    assert len(callbacks) == 1
    assert SEEN == [("t_acme", "+14155550112")]


@pytest.mark.django_db
def test_task_without_schema_cannot_be_sent():
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'schema_name'"):
        record_contact_schema.delay(contact_id=1)
    assert SEEN == []


@pytest.mark.django_db
def test_task_message_without_schema_refuses_to_run():
    """A message from a producer that skipped the argument check (the worker calls the task directly)."""
    with pytest.raises(MissingSchemaName, match=r"tests\.record_contact_schema needs a schema_name"):
        record_contact_schema(contact_id=1)
    assert SEEN == []


@pytest.mark.django_db
@pytest.mark.parametrize("schema", ["public", "t_nobody", "tenant_template"])
def test_task_for_a_schema_without_tenant_refuses_to_run(schema):
    with pytest.raises(UnknownTenantSchema, match=f"no tenant has schema '{schema}'"):
        record_contact_schema.delay(schema_name=schema, contact_id=1)
    assert SEEN == []


@pytest.mark.integration
def test_real_worker_runs_on_commit_task_in_enqueuing_tenant(committed_tenants, settings):
    """A real worker thread consumes from the configured broker (Redis, or RabbitMQ in make test-services)."""
    from tenants.models import Tenant

    # The default queue named outright: a worker started with other queues leaves the app consuming only those.
    with celery_worker(queues=["celery"]):
        # given: a contact committed in globex and the task enqueued on commit from globex's schema
        connection.set_tenant(Tenant.objects.get(slug="globex"))
        with transaction.atomic():
            contact = Contact.objects.create(phone_number="+447911123498")
            enqueue_on_commit(record_contact_schema, contact_id=contact.pk)
            connection.set_schema_to_public()
        # when the worker consumes it
        for _ in range(100):
            if SEEN:
                break
            time.sleep(0.1)
    # then
    assert SEEN == [("t_globex", "+447911123498")]
