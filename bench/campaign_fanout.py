"""Campaign fan-out: recipients per second and peak memory expanding a campaign into messages, beside a raw COPY of
the same message rows into the same table in the same run.

Fills a tenant of its own (`bench-campaigns`) with `--recipients` New York contacts on one list, 1 % of them opted
out, and a sender at 1,000 MPS. Then launches an A/B campaign (`{{ first_name }}` and an attribute with a default)
over the list and runs its fan-out as the Celery task does (`campaign_expand`, chunk after chunk: the audience read
by contact id, the batch compliance check, personalisation, variant and segments, the COPY into a staging table,
`INSERT … SELECT … ON CONFLICT DO NOTHING` into the message table with its event, the lanes in Redis). As the
baseline it empties the table and COPYs the same rows (the messages the fan-out made, written to a file first)
straight into it. Prints both rates, their ratio, the counts (queued, suppressed) and the process's peak resident
memory before and after the fan-out (flat in the audience's size: run it with 100,000 and 1,000,000).

Uses the development database and Redis (`make run` once, or `python -m config.dev.embedded start`); migrates the
database (`migrate_all`); empties the benchmark tenant's tables before and after. Run from the repository root:

    .venv/bin/python bench/campaign_fanout.py [--recipients 1000000] [--chunk 5000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")  # as in production: no SQL kept per query
os.environ["DISPATCH_AUTOSTART"] = "false"  # no drain is woken: only the expansion is measured

SLUG, SCHEMA = "bench-campaigns", "bench_campaigns"
TABLES = (
    "messaging_messageevent", "messaging_message", "messaging_campaignvariant", "messaging_campaign",
    "messaging_contactlistmembership", "messaging_contactlist", "messaging_contact", "messaging_sender",
    "compliance_suppression", "compliance_optoutevent",
)  # fmt: skip
FILL = """
INSERT INTO messaging_contact (phone_number, name, country, line_type, attributes, time_zone, status,
                               unsendable_reason, tags, created_at, updated_at)
  SELECT '+1212' || (201 + i / 10000)::text || lpad((i %% 10000)::text, 4, '0'), 'Person' || i || ' Doe', 'US', '',
         CASE WHEN i %% 2 = 0 THEN '{"plan": "gold"}'::jsonb ELSE '{}'::jsonb END, 'America/New_York', 'active', '',
         '{}', now(), now()
  FROM generate_series(0, %(n)s - 1) AS i;
INSERT INTO messaging_contactlist (name, description, created_at, updated_at) VALUES ('Everyone', '', now(), now());
INSERT INTO messaging_contactlistmembership (contact_id, contact_list_id, created_at)
  SELECT c.id, l.id, now() FROM messaging_contact c, messaging_contactlist l;
ALTER TABLE compliance_optoutevent DISABLE TRIGGER USER;
INSERT INTO compliance_optoutevent (number, kind, scopes, source, keyword, message_sid, body, evidence, actor_label,
                                    occurred_at, recorded_at)
  SELECT phone_number, 'opt_out', ARRAY['tenant'], 'keyword', 'STOP', '', 'stop', '', 'handset', now(), now()
  FROM messaging_contact WHERE id %% 100 = 7;
ALTER TABLE compliance_optoutevent ENABLE TRIGGER USER;
INSERT INTO compliance_suppression (number, scope, opted_out_at, event_id)
  SELECT number, 'tenant', occurred_at, id FROM compliance_optoutevent;
"""
COLUMNS = (
    'uuid, direction, source, status, provider_status, "to", from_address, sender_id, contact_id, campaign_id, '
    "campaign_variant_id, body, media_urls, encoding, segments, lane, category, compliance, failure_reason, "
    "error_message, price_unit, send_at, attempts, reconcile_lookups, created_at, queued_at, failed_at"
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    from tenants.models import Tenant

    call_command("migrate_all", verbosity=0)
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = Tenant.objects.create(slug=SLUG, schema_name=SCHEMA, name="Campaign benchmark")
    return tenant


def empty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(f'{SCHEMA}.{t}' for t in TABLES)} CASCADE")


def fill(tenant, recipients: int):
    from django.db import connection, transaction

    from compliance.services.settings import settings_update
    from messaging.models import ContactList, Sender

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FILL, {"n": recipients})
        cursor.execute("ANALYZE")
    settings_update(tenant=tenant, actor_label="bench", quiet_hours_enabled=False)
    sender = Sender.objects.create(kind="long_code", address="+12125550000", country="US", mps=1000,
                                   registration_state="registered", label="Bench")  # fmt: skip
    return sender, ContactList.objects.get()


def launch(tenant, sender, contact_list):
    from messaging.services.campaigns.drafts import campaign_create
    from messaging.services.campaigns.preflight import campaign_digest

    plan = '{{ attributes.plan | default:"free" }}'
    variants = [
        {"body": f"Hi {{{{ first_name }}}}, your {plan} plan has a winter offer", "percent": 50},
        {"body": "Hello {{ first_name }}: winter offers inside. Reply STOP to opt out", "percent": 50},
    ]
    campaign = campaign_create(tenant=tenant, fields={"name": "Bench", "category": "transactional", "sender": sender,
                                                      "list_ids": [contact_list.pk], "variants": variants})  # fmt: skip
    # Launched as `campaign_launch` leaves it (the benchmark's tenant has no Twilio subaccount, which a launch needs,
    # and the preflight, which reads the whole audience too, is not what is timed).
    from django.utils import timezone

    from messaging.models import Campaign

    recipients = contact_list.memberships.count()
    Campaign.objects.filter(pk=campaign.pk).update(
        preflight={"recipients": recipients, "blocking": False, "findings": []},
        preflight_digest=campaign_digest(campaign), state="running", launched_at=timezone.now(), recipients=recipients,
    )  # fmt: skip
    return Campaign.objects.get(pk=campaign.pk)


def fan_out(tenant, campaign_id: int, chunk: int) -> float:
    from messaging.services.campaigns.fanout import campaign_expand

    started = time.perf_counter()
    while campaign_expand(tenant=tenant, campaign_id=campaign_id, chunk=chunk).outcome == "more":
        pass
    return time.perf_counter() - started


def raw_copy() -> tuple[int, float]:
    """The baseline: the fan-out's message rows, written to a file (not timed), COPYed back into the emptied table."""
    from django.db import connection

    with tempfile.TemporaryFile() as rows, connection.cursor() as cursor:
        select = f"COPY (SELECT {COLUMNS} FROM {SCHEMA}.messaging_message) TO STDOUT"
        with cursor.cursor.copy(select) as copy:
            for block in copy:
                rows.write(block)
        cursor.execute(f"SELECT count(*) FROM {SCHEMA}.messaging_message")
        (count,) = cursor.fetchone()
        cursor.execute(f"TRUNCATE {SCHEMA}.messaging_messageevent, {SCHEMA}.messaging_message CASCADE")
        rows.seek(0)
        started = time.perf_counter()
        with cursor.cursor.copy(f"COPY {SCHEMA}.messaging_message ({COLUMNS}) FROM STDIN") as copy:
            while block := rows.read(1 << 20):
                copy.write(block)
        return count, time.perf_counter() - started


def clear_lanes(schema: str) -> None:
    from messaging.dispatch import keys, redis_index

    index = redis_index.client()
    doomed = [key for key in index.scan_iter(match=f"{keys.PREFIX}:*", count=1000) if schema.encode() in key]
    for start in range(0, len(doomed), 1000):
        index.delete(*doomed[start : start + 1000])
    index.zrem(keys.READY, *[m for m in index.zrange(keys.READY, 0, -1) if schema.encode() in m] or [b"-"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=5_000, help="recipients per transaction (CAMPAIGN_CHUNK)")
    args = parser.parse_args()

    from django.conf import settings
    from django_tenants.utils import tenant_context

    settings.CAMPAIGN_OUTBOX_THRESHOLD = args.recipients * 2  # back-pressure is not what is measured
    settings.CAMPAIGN_CHUNKS_PER_TASK = 1_000_000
    tenant = setup()
    with tenant_context(tenant):
        empty()
        clear_lanes(SCHEMA)
        sender, contact_list = fill(tenant, args.recipients)
        campaign = launch(tenant, sender, contact_list)
        rss_before = peak_rss_mb()
        seconds = fan_out(tenant, campaign.pk, args.chunk)
        rss_after = peak_rss_mb()
        from django.db.models import Count

        from messaging.models import Message

        counts = dict(Message.objects.values("status").annotate(n=Count("id")).values_list("status", "n"))
        copied, copy_seconds = raw_copy()
        clear_lanes(SCHEMA)
        empty()
    rate, copy_rate = args.recipients / seconds, copied / copy_seconds
    print(f"audience: {args.recipients:,} contacts, 1 % opted out; chunks of {args.chunk:,}")
    print(f"messages: {', '.join(f'{n:,} {status}' for status, n in sorted(counts.items()))}")
    print(f"fan-out: {seconds:,.1f} s, {rate:,.0f} recipients/s")
    print(f"COPY:    {copy_seconds:,.1f} s, {copy_rate:,.0f} rows/s ({copied:,} messages)")
    print(f"fan-out / COPY time: {seconds / copy_seconds:.1f}x")
    print(f"peak RSS: {rss_before:,.0f} MB before the fan-out, {rss_after:,.0f} MB after")


if __name__ == "__main__":
    main()
