"""Contact CSV import: rows per second and peak memory for a generated file, beside a raw COPY of the same contacts.

Generates a CSV of `--rows` rows (US numbers written three ways, a name, a plan attribute, tags on one row in seven;
1 % of the rows not a number and 1 % repeating an earlier row's number), imports it with the import's own run
(`import_run`, the body of the Celery task: streamed, in batches, INSERT … ON CONFLICT) into a schema of its own,
then empties the table and COPYs the same contacts (one row per number, already in E.164) into it. Prints the rows/s
of each, their ratio, the counts the import reached, and the process's peak resident memory before and after the
import (flat in the file's size: run it with --rows 100000 and with 1000000).

Uses the development database and storage: start the services (`make run` once, or `python -m config.dev.embedded
start`); the script migrates the database (`migrate_all`) and works in the schema of a tenant `bench-contacts`,
whose contact tables it empties before and after. Run from the repository root:

    .venv/bin/python bench/contacts_import.py [--rows 1000000] [--batch 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")  # as in production: no SQL kept per query

SLUG = "bench-contacts"
SCHEMA = "bench_contacts"
AREA_CODES = (212, 310, 415, 617, 312, 713, 206, 303, 404, 305)
PLANS = ("gold", "silver", "bronze")
MAPPING = {"phone": "phone", "name": "name", "plan": "attribute:plan", "tags": "tags"}
COLUMNS = "phone_number, name, country, line_type, attributes, time_zone, status, unsendable_reason, tags, created_at, "
COLUMNS += "updated_at"


def digits(i: int) -> tuple[int, int, int]:
    """Area code, exchange and line of the i-th distinct number (distinct for i below 9.8 million)."""
    rest = i // len(AREA_CODES)
    return AREA_CODES[i % len(AREA_CODES)], 201 + rest // 10_000, rest % 10_000


def row(i: int) -> tuple[str, str, str, str]:
    """The i-th row of the file: phone, name, plan, tags."""
    if i % 100 == 99:
        return "12345", f"Person {i}", "gold", ""  # not a number: rejected
    source = i - 50 if i % 100 == 50 else i  # repeats the number of row i - 50: merged
    area, exchange, line = digits(source)
    phone = (f"+1{area}{exchange}{line:04d}", f"({area}) {exchange}-{line:04d}", f"{area}-{exchange}-{line:04d}")[i % 3]
    return phone, f"Person {i}", PLANS[i % 3], "vip" if i % 7 == 0 else ""


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("phone,name,plan,tags\n")
        for i in range(rows):
            out.write(",".join(row(i)) + "\n")


def copy_rows(rows: int):
    """The contacts the import makes, as COPY rows (one per number, first row's values)."""
    now = datetime.now(UTC)
    for i in range(rows):
        if i % 100 in (50, 99):
            continue
        area, exchange, line = digits(i)
        plan = json.dumps({"plan": PLANS[i % 3]})
        tags = ["vip"] if i % 7 == 0 else []
        yield f"+1{area}{exchange}{line:04d}", f"Person {i}", "US", "", plan, "", "active", "", tags, now, now


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def setup():
    """Django, the migrated database, and the benchmark's tenant (its schema cloned from the template)."""
    import django

    django.setup()
    from django.core.management import call_command

    from tenants.models import Tenant

    call_command("migrate_all", verbosity=0)
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = Tenant.objects.create(slug=SLUG, schema_name=SCHEMA, name="Contacts benchmark")
    return tenant


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = "messaging_importrejection, messaging_importjob, messaging_contactlistmembership, messaging_contact"
        cursor.execute(f"TRUNCATE {', '.join(f'{SCHEMA}.{t.strip()}' for t in tables.split(','))} CASCADE")


def run_import(path: Path, batch: int):
    from django.core.files import File
    from django.core.files.storage import default_storage

    from messaging.domain.contact_csv import check_mapping
    from messaging.models import ImportJob
    from messaging.services.contacts.imports import import_run, import_upload

    with path.open("rb") as upload:
        job = import_upload(upload=File(upload, name=path.name), default_country="US", created_by="bench")
    ImportJob.objects.filter(pk=job.pk).update(status="pending", mapping=check_mapping(job.header, MAPPING))
    started = time.perf_counter()
    job = import_run(job_id=job.pk, batch_rows=batch)
    seconds = time.perf_counter() - started
    default_storage.delete(job.file.name)  # the run deletes it too once it ends; nothing is left either way
    return job, seconds


def run_copy(rows: int) -> tuple[int, float]:
    from django.db import connection

    started = time.perf_counter()
    copied = 0
    statement = f"COPY {SCHEMA}.messaging_contact ({COLUMNS}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for values in copy_rows(rows):
            copy.write_row(values)
            copied += 1
    return copied, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=2000, help="rows per batch (the task's default is 2,000)")
    args = parser.parse_args()

    from django_tenants.utils import tenant_context

    tenant = setup()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"contacts-{args.rows}.csv"
        write_csv(path, args.rows)
        size_mb = path.stat().st_size / 1_000_000
        with tenant_context(tenant):
            empty_tables()
            rss_before = peak_rss_mb()
            job, import_seconds = run_import(path, args.batch)
            rss_after = peak_rss_mb()
            empty_tables()
            copied, copy_seconds = run_copy(args.rows)
            empty_tables()
    import_rate, copy_rate = args.rows / import_seconds, copied / copy_seconds
    print(f"file: {args.rows:,} rows, {size_mb:,.1f} MB; batches of {args.batch:,} rows")
    print(
        f"import: {job.status}, {job.total_rows:,} rows read: {job.imported:,} new, {job.updated:,} merged, "
        f"{job.rejected:,} rejected"
    )
    print(f"import: {import_seconds:,.1f} s, {import_rate:,.0f} rows/s")
    print(f"COPY:   {copy_seconds:,.1f} s, {copy_rate:,.0f} rows/s ({copied:,} contacts)")
    print(f"import / COPY time: {import_seconds / copy_seconds:.1f}x")
    print(f"peak RSS: {rss_before:,.0f} MB before the import, {rss_after:,.0f} MB after")


if __name__ == "__main__":
    main()
