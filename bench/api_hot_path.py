"""The API's hot path: an authenticated `GET /api/v1/tenant` and `POST /api/v1/messages` beside the bare `/healthz`
view, on one gunicorn started as `make run` starts it, in the same run.

Creates (once) a tenant `bench-api` with a UK long code, a fresh API key on each run, and limits high enough that
the rate limiter and the daily cap count every request without refusing one. Then keeps `--connections` keep-alive
connections busy on each endpoint in turn for `--seconds`, and prints requests/s, p50/p99 and each one's ratio to
`/healthz` (goals: the GET at least 1/3, the POST at least 1/5). The messages it sends are canceled at the end.

Uses the development database and Redis (`python -m config.dev.embedded start`, or `make run` once); starts the
Twilio sandbox and gunicorn on free ports. Run from the repository root:

    .venv/bin/python bench/api_hot_path.py [--seconds 5] [--connections 8] [--conn-max-age 0]
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Platform, cancel_queued, load_average, run_load, setup_django

SLUG = "bench-api"
SENDER = "+447911123490"
LIMIT = 1_000_000_000  # counted on every request, never reached


def prepare() -> tuple[str, int]:
    """The benchmark's tenant, its sender and a new API key; returns the key and the sender's id."""
    from decimal import Decimal

    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from messaging.services.senders import sender_register
    from tenants.models import Tenant, TenantLimits
    from tenants.services.api_keys import api_key_create
    from tenants.services.lifecycle import tenant_create

    call_command("migrate_all", verbosity=0)
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = tenant_create(name="API benchmark", slug=SLUG, time_zone="Europe/London", default_country="GB")
    TenantLimits.objects.filter(tenant=tenant).update(api_requests_per_minute=LIMIT, daily_message_cap=LIMIT)
    with tenant_context(tenant):
        sender = sender_register(kind="long_code", address=SENDER, country="GB", mps=Decimal(10), label="Bench")
    _, plaintext = api_key_create(tenant=tenant, name="api_hot_path benchmark")
    return plaintext, sender.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--conn-max-age", type=int, default=0, help="the web processes' DATABASE_CONN_MAX_AGE")
    args = parser.parse_args()

    with Platform() as platform:
        platform.start_sandbox()
        setup_django()
        key, sender_id = prepare()
        url = platform.start_web(conn_max_age=args.conn_max_age)
        auth = {"Authorization": f"Bearer {key}", "Host": "localhost"}
        recipients = count()

        def healthz(_n):
            while True:
                yield "GET", f"{url}/healthz", {"Host": "localhost"}, None

        def tenant(_n):
            while True:
                yield "GET", f"{url}/api/v1/tenant", auth, None

        def send(_n):
            headers = dict(auth, **{"Content-Type": "application/json"})
            while True:
                to = f"+4479112{next(recipients) % 100_000:05d}"
                body = json.dumps({"to": to, "body": "Your table is ready.", "sender": sender_id}).encode()
                yield "POST", f"{url}/api/v1/messages", headers, body

        print(f"load average before: {load_average()}")
        options = {"seconds": args.seconds, "connections": args.connections}
        bare = run_load("GET /healthz (bare view)", healthz, **options)
        read = run_load("GET /api/v1/tenant", tenant, **options)
        post = run_load("POST /api/v1/messages", send, **options)
        print(f"load average after:  {load_average()}")
    print(f"{args.connections} connections, {args.seconds:g} s each, gunicorn gthread 2 workers x 4 threads, "
          f"DATABASE_CONN_MAX_AGE={args.conn_max_age}")  # fmt: skip
    print(bare.line())
    print(read.line(bare) + "   (goal >= 0.333)")
    print(post.line(bare) + "   (goal >= 0.200)")
    from tenants.models import Tenant

    print(f"messages canceled after the run: {cancel_queued(Tenant.objects.get(slug=SLUG)):,}")
    if set(read.statuses) != {200} or set(post.statuses) != {201}:
        raise SystemExit("some requests were not answered 200 / 201")


if __name__ == "__main__":
    main()
