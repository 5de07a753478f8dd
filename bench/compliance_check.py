"""The campaign preflight's compliance check: recipients per second through every pre-send rule, beside the reads
alone.

Fills a tenant of its own (`bench-compliance`) with `--recipients` US numbers: 1 % opted out, 60 % with marketing
consent, 1 % known from Lookup as landlines. Then checks one marketing message to all of them with
`messages_check` (the register, consent and Lookup read a chunk of 5,000 numbers at a time; every rule evaluated per
recipient; the verdicts summed up as the preflight does), and, as the baseline, runs the same chunked reads without
evaluating anything. Prints recipients/s, the per-rule counts, and the ratio of the two times.

Uses the development database (`make run` once, or `python -m config.dev.embedded start`); migrates it
(`migrate_all`). Run from the repository root:

    .venv/bin/python bench/compliance_check.py [--recipients 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

SLUG, SCHEMA = "bench-compliance", "bench_compliance"
NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # noon in New York: inside every window
BODY = "Winter sale at Acme: 20% off everything today. Reply STOP to opt out"


def number(i: int) -> str:
    return f"+1212{201 + i // 10_000}{i % 10_000:04d}"


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    from tenants.models import Tenant

    call_command("migrate_all", verbosity=0)
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = Tenant.objects.create(slug=SLUG, schema_name=SCHEMA, name="Compliance benchmark")
    return tenant


FILL = """
TRUNCATE compliance_suppression, compliance_consent, compliance_numberlookup, compliance_optoutevent CASCADE;
CREATE TEMP TABLE bench_numbers ON COMMIT DROP AS
  SELECT i, '+1212' || (201 + i / 10000)::text || lpad((i %% 10000)::text, 4, '0') AS number
  FROM generate_series(0, %(n)s - 1) AS i;
ALTER TABLE compliance_optoutevent DISABLE TRIGGER USER;
INSERT INTO compliance_optoutevent (number, kind, scopes, source, keyword, message_sid, body, evidence, actor_label,
                                    occurred_at, recorded_at)
  SELECT number, 'opt_out', ARRAY['tenant'], 'keyword', 'STOP', '', 'stop', '', 'handset', now(), now()
  FROM bench_numbers WHERE i %% 100 = 7;
ALTER TABLE compliance_optoutevent ENABLE TRIGGER USER;
INSERT INTO compliance_suppression (number, scope, opted_out_at, event_id)
  SELECT number, 'tenant', occurred_at, id FROM compliance_optoutevent;
INSERT INTO compliance_consent (number, purpose, source, evidence, evidence_ref, disclosure, user_agent, collected_at,
                                recorded_at, actor_label)
  SELECT number, 'marketing', 'web_form', 'signup form', '', '', '', now(), now(), 'bench'
  FROM bench_numbers WHERE i %% 10 < 6;
INSERT INTO compliance_numberlookup (number, valid, line_type, carrier, country, looked_up_at, expires_at)
  SELECT number, true, 'landline', '', 'US', now(), now() + interval '90 days' FROM bench_numbers WHERE i %% 100 = 3;
"""


def fill(recipients: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FILL, {"n": recipients})


def check(tenant, recipients: int):
    from compliance.services.checks import Outbound, Recipient, messages_check, summarize

    outbound = Outbound(to="", category="marketing", body=BODY, segments=1, sender_kind="long_code",
                        sender_registration="")  # fmt: skip
    people = (Recipient(to=number(i), key=i) for i in range(recipients))
    started = time.perf_counter()
    summary = summarize(messages_check(tenant=tenant, outbound=outbound, recipients=people, now=NOW))
    return summary, time.perf_counter() - started


def reads_only(recipients: int) -> float:
    """The baseline: the same chunked reads of the register, consent and Lookup, nothing evaluated."""
    from django.db.models import Max

    from compliance.models import Consent, NumberLookup, Suppression

    started = time.perf_counter()
    for start in range(0, recipients, 5_000):
        numbers = [number(i) for i in range(start, min(start + 5_000, recipients))]
        dict(Suppression.objects.filter(number__in=numbers, scope__in=["tenant"]).values("number")
             .annotate(at=Max("opted_out_at")).values_list("number", "at"))  # fmt: skip
        set(Consent.objects.filter(number__in=numbers, purpose="marketing", revoked_at__isnull=True).order_by()
            .values_list("number", flat=True).distinct())  # fmt: skip
        list(NumberLookup.objects.filter(number__in=numbers).values_list("number", "valid", "line_type"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    args = parser.parse_args()

    from django_tenants.utils import tenant_context

    tenant = setup()
    with tenant_context(tenant):
        fill(args.recipients)
        baseline = reads_only(args.recipients)
        summary, seconds = check(tenant, args.recipients)
    print(f"recipients: {summary.recipients:,}")
    print(f"  blocked {summary.blocked:,}, deferred {summary.deferred:,}, warned {summary.warned:,}, "
          f"clean {summary.clean:,}")  # fmt: skip
    for (rule, severity), count in sorted(summary.by_rule.items()):
        print(f"  {rule} ({severity}): {count:,}")
    print(f"check:      {seconds:,.2f} s, {summary.recipients / seconds:,.0f} recipients/s")
    print(f"reads only: {baseline:,.2f} s, {args.recipients / baseline:,.0f} recipients/s")
    print(f"check / reads: {seconds / baseline:.1f}x")


if __name__ == "__main__":
    main()
