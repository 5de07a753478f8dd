"""The messaging app's tasks through a real Celery worker: a contact import started in a request runs in a worker,
in the tenant that started it."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction

from messaging.models import Contact, ImportJob
from messaging.services.contacts.imports import import_create
from tenants.models import Tenant
from tests.factories import csv_upload, in_tenant
from tests.fixtures.workers import celery_worker


@pytest.mark.integration
def test_a_real_worker_runs_an_import_started_on_commit_in_its_tenant(committed_tenants):
    globex = Tenant.objects.get(slug="globex")
    # The default queue named outright: a worker started with other queues leaves the app consuming only those.
    with celery_worker(queues=["celery"]):
        # given an upload committed in globex, its run sent to the broker on commit
        connection.set_tenant(globex)
        with transaction.atomic():
            job = import_create(tenant=globex, upload=csv_upload("phone,name\n07400 123456,Ann\n0740,Bo\n"))
        connection.set_schema_to_public()
        # when the worker consumes it
        for _ in range(150):
            with in_tenant(globex):
                job.refresh_from_db()
            if job.status == "completed":
                break
            time.sleep(0.1)
    # then
    assert (job.status, job.imported, job.rejected) == ("completed", 1, 1)
    with in_tenant(globex):
        assert list(Contact.objects.values_list("phone_number", "name")) == [("+447400123456", "Ann")]
        assert ImportJob.objects.get().rejections.get().reason == "phone: '0740' is not a valid phone number"
