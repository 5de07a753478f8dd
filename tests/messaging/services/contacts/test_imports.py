"""CSV imports of contacts in PostgreSQL: valid rows kept and every other row rejected with its row number and a
reason naming the column, duplicates merged (in the file and with existing contacts), a run that dies resumed with
no row twice and none skipped, a second run that finds the rows taken leaving, cancel, and the rejects file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import Contact, ImportJob, ImportRejection
from messaging.services.contacts import imports
from messaging.services.contacts.exports import import_rejects_rows
from messaging.services.contacts.imports import import_cancel, import_create, import_run
from messaging.tasks import tenant_sweep
from tests.factories import ContactFactory, ContactListFactory, csv_upload

pytestmark = pytest.mark.django_db

MIXED = (
    "Phone,Name,TZ,Tags,Plan\n"
    "(415) 555-0100,Ann Lee,,VIP,gold\n"
    '+14155550101,"Bo\nSmith",America/Chicago,,silver\n'
    "12345,Cy,,,\n"
    ",Dee,,,\n"
    "\n"
    "+14155550102,Eve,Mars/Olympus,,\n"
    "+14155550103,Fay,,,,extra\n"
    "415-555-0100,,Europe/Paris,new,platinum\n"
    "+14155550199,Existing renamed,,,\n"
)


def _run_import(tenant, text, django_capture_on_commit_callbacks, **options) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = import_create(tenant=tenant, upload=csv_upload(text), actor_label="owner@acme.test", **options)
    job.refresh_from_db()
    return job


def test_valid_rows_are_kept_and_every_other_row_is_rejected_with_its_number_and_column(
    in_tenant_a, django_capture_on_commit_callbacks
):
    # given an unsendable contact that the file names again, and a list to fill
    existing = ContactFactory(
        tenant=in_tenant_a, phone_number="+14155550199", name="Old", attributes={"since": "2020"}, tags=["old"],
        status="unsendable", unsendable_reason="landline", unsendable_since=timezone.now(),
    )  # fmt: skip
    spring = ContactListFactory(tenant=in_tenant_a, name="Spring")
    # when the file is imported with the guessed mapping
    job = _run_import(in_tenant_a, MIXED, django_capture_on_commit_callbacks, contact_list=spring, tags=["Spring"])
    # then
    assert job.mapping == {
        "Phone": "phone", "Name": "name", "TZ": "time_zone", "Tags": "tags", "Plan": "attribute:plan",
    }  # fmt: skip
    assert (job.status, job.total_rows, job.imported, job.updated, job.rejected, job.error) == (
        "completed", 8, 2, 2, 4, ""
    )  # fmt: skip
    assert (job.committed_offset, job.committed_row) == (len(MIXED.encode()), 10)
    contacts = {c.phone_number: (c.name, c.time_zone, c.tags, c.attributes, c.status) for c in Contact.objects.all()}
    assert contacts == {
        "+14155550100": ("Ann Lee", "Europe/Paris", ["new", "spring", "vip"], {"plan": "platinum"}, "active"),
        "+14155550101": ("Bo Smith", "America/Chicago", ["spring"], {"plan": "silver"}, "active"),
        "+14155550199": ("Existing renamed", "", ["old", "spring"], {"since": "2020"}, "unsendable"),
    }
    assert sorted(spring.contacts.values_list("phone_number", flat=True)) == [
        "+14155550100", "+14155550101", existing.phone_number,
    ]  # fmt: skip
    assert list(ImportRejection.objects.values_list("row_number", "column", "reason", "values")) == [
        (4, "Phone", "Phone: '12345' is not a valid phone number", ["12345", "Cy", "", "", ""]),
        (5, "Phone", "Phone: no phone number", ["", "Dee", "", "", ""]),
        (7, "TZ", "TZ: 'Mars/Olympus' is not an IANA time zone such as America/New_York",
         ["+14155550102", "Eve", "Mars/Olympus", "", ""]),
        (8, "", "the row has 6 cells; the header names 5 columns", ["+14155550103", "Fay", "", "", "", "extra"]),
    ]  # fmt: skip


def test_the_rejects_file_holds_the_rows_as_they_were_with_their_number_and_reason(
    in_tenant_a, django_capture_on_commit_callbacks
):
    job = _run_import(in_tenant_a, MIXED, django_capture_on_commit_callbacks)
    rows = list(import_rejects_rows(job))
    assert rows == [
        ["Phone", "Name", "TZ", "Tags", "Plan", "rejected_row", "rejected_column", "rejected_reason"],
        ["12345", "Cy", "", "", "", "4", "Phone", "Phone: '12345' is not a valid phone number"],
        ["", "Dee", "", "", "", "5", "Phone", "Phone: no phone number"],
        ["+14155550102", "Eve", "Mars/Olympus", "", "", "7", "TZ",
         "TZ: 'Mars/Olympus' is not an IANA time zone such as America/New_York"],
        ["+14155550103", "Fay", "", "", "", "8", "", "the row has 6 cells; the header names 5 columns"],
    ]  # fmt: skip


def test_an_explicit_mapping_reads_national_numbers_in_the_tenants_country(
    in_tenant_b, django_capture_on_commit_callbacks
):
    text = "Mobile,First,Notes\n07400 123456,Ann,likes tea\n07400 123457,Bo,\n"
    mapping = {"Mobile": "phone", "First": "attribute:first_name"}
    job = _run_import(in_tenant_b, text, django_capture_on_commit_callbacks, mapping=mapping)
    assert (job.status, job.imported, job.mapping) == (
        "completed",
        2,
        {"Mobile": "phone", "First": "attribute:first_name", "Notes": "ignore"},
    )
    assert list(Contact.objects.order_by("phone_number").values_list("phone_number", "country", "attributes")) == [
        ("+447400123456", "GB", {"first_name": "Ann"}),
        ("+447400123457", "GB", {"first_name": "Bo"}),
    ]


# --- a run that dies, and two runs at once ---------------------------------------------------------------------------


class WorkerLost(BaseException):
    """The worker process died (killed, out of memory, restarted): nothing of the run happens after it."""


class DyingStream:
    """The upload as the run reads it, until the worker dies on reading line `lines + 1`; or, given `before_death`,
    that is called there instead and the run goes on."""

    def __init__(self, stream, *, lines: int, before_death=None):
        self.stream, self.lines_left, self.before_death = stream, lines, before_death

    def readline(self, limit: int = -1) -> bytes:
        self.lines_left -= 1
        if self.lines_left == -1 and self.before_death is not None:
            self.before_death()  # something else happens meanwhile, and this run goes on
        elif self.lines_left == -1:
            raise WorkerLost
        return self.stream.readline(limit)

    def seek(self, offset: int) -> int:
        return self.stream.seek(offset)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.stream.close()


NUMBERS = [f"+1415555020{n}" for n in range(10)]
TEN_AND_TWO = (
    "phone,name\n" + "".join(f"{n},Person {i}\n" for i, n in enumerate(NUMBERS)) + f"{NUMBERS[0]},Again\nabc,X\n"
)


def _first_open_dies(monkeypatch, **dying) -> None:
    real_open, opened = imports._open_upload, []

    def open_upload(job):
        opened.append(job.pk)
        stream = real_open(job)
        return DyingStream(stream, **dying) if len(opened) == 1 else stream

    monkeypatch.setattr(imports, "_open_upload", open_upload)


def _assert_each_row_once(job: ImportJob) -> None:
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.imported, job.updated, job.rejected) == ("completed", 12, 10, 1, 1)
    assert (job.committed_offset, job.committed_row) == (job.size_bytes, 13)
    assert sorted(Contact.objects.values_list("phone_number", flat=True)) == NUMBERS
    assert Contact.objects.get(phone_number=NUMBERS[0]).name == "Again"
    assert list(ImportRejection.objects.values_list("row_number", "reason")) == [
        (13, "phone: 'abc' is not a phone number")
    ]


def test_a_run_that_dies_mid_batch_resumes_after_its_last_commit_with_no_row_twice(in_tenant_a, monkeypatch):
    # given a run in batches of 3 rows whose worker dies while it reads row 9 (the third batch)
    job = import_create(tenant=in_tenant_a, upload=csv_upload(TEN_AND_TWO))
    _first_open_dies(monkeypatch, lines=7)
    with pytest.raises(WorkerLost):
        import_run(job_id=job.pk, batch_rows=3)
    # then the first two batches stay, and the third (row 8 read, not committed) left nothing
    job.refresh_from_db()
    assert (job.status, job.committed_row, job.total_rows, Contact.objects.count()) == ("running", 7, 6, 6)
    # when the task runs again, as a redelivery would
    assert import_run(job_id=job.pk, batch_rows=3).status == "completed"
    # then every row was read once: the duplicate of row 2 merged, the bad row rejected once
    _assert_each_row_once(job)


def test_the_sweep_resumes_an_import_whose_worker_was_lost(in_tenant_a, monkeypatch):
    job = import_create(tenant=in_tenant_a, upload=csv_upload(TEN_AND_TWO))
    _first_open_dies(monkeypatch, lines=4)
    with pytest.raises(WorkerLost):
        import_run(job_id=job.pk, batch_rows=3)
    # when the sweep finds it quiet for longer than a run ever is
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=3))
    report = tenant_sweep.apply(kwargs={"schema_name": in_tenant_a.schema_name}).get()
    # then
    assert report["imports"] == 1
    _assert_each_row_once(job)


def test_a_second_run_that_finds_its_rows_committed_by_another_leaves(in_tenant_a, monkeypatch):
    # given run A reading its first batch when run B, a redelivered copy, commits that batch (and then dies)
    job = import_create(tenant=in_tenant_a, upload=csv_upload(TEN_AND_TWO))

    def run_b() -> None:
        with pytest.raises(WorkerLost):
            import_run(job_id=job.pk, batch_rows=3)

    real_open, opened = imports._open_upload, []

    def open_upload(job):
        opened.append(job.pk)
        stream = real_open(job)
        if len(opened) == 1:
            return DyingStream(stream, lines=2, before_death=run_b)
        return DyingStream(stream, lines=4) if len(opened) == 2 else stream

    monkeypatch.setattr(imports, "_open_upload", open_upload)
    # when A goes on to commit the same rows
    assert import_run(job_id=job.pk, batch_rows=3) is None
    # then A left without writing; B's batch stands; a last run finishes
    job.refresh_from_db()
    assert (job.committed_row, Contact.objects.count()) == (4, 3)
    import_run(job_id=job.pk, batch_rows=3)
    _assert_each_row_once(job)


# --- cancel, failure, drafts ---------------------------------------------------------------------------------------


def test_a_canceled_import_stops_at_its_next_batch_and_keeps_what_it_committed(in_tenant_a, monkeypatch):
    job = import_create(tenant=in_tenant_a, upload=csv_upload(TEN_AND_TWO))
    _first_open_dies(monkeypatch, lines=4, before_death=lambda: import_cancel(tenant=in_tenant_a, job=job))
    assert import_run(job_id=job.pk, batch_rows=3) is None
    job.refresh_from_db()
    assert (job.status, job.committed_row, Contact.objects.count()) == ("canceled", 4, 3)
    assert import_run(job_id=job.pk) is None
    assert Contact.objects.count() == 3


def test_an_import_whose_file_is_gone_fails_saying_so(in_tenant_a):
    job = import_create(tenant=in_tenant_a, upload=csv_upload(TEN_AND_TWO))
    imports.default_storage.delete(job.file.name)
    job = import_run(job_id=job.pk)
    assert (job.status, job.error, Contact.objects.count()) == (
        "failed",
        "the uploaded file cannot be read from the storage",
        0,
    )
