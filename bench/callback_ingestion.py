"""Twilio status callbacks with valid signatures, posted on loopback to gunicorn started as `make run` starts it,
beside the bare `/healthz` view in the same run.

Creates (once) a tenant `bench-api` with a Twilio subaccount in a fresh sandbox, then `--messages` outbound
messages that Twilio has accepted (each with its SID). Each of `--connections` keep-alive connections takes its own
messages and posts, for each, a `sent` and then a `delivered` callback signed with the subaccount's auth token
(twilio's `RequestValidator` algorithm), for `--seconds` after a warm-up. Prints callbacks/s, p50/p99 and the
ratio to `/healthz` (goals: at least 1,000/s, p99 under 50 ms, at least 0.5x the bare view), and checks that every
callback answered 204, moved its message forward and was kept in the message's events.

Uses the development database and Redis (`python -m config.dev.embedded start`, or `make run` once). Run from the
repository root:

    .venv/bin/python bench/callback_ingestion.py [--seconds 5] [--connections 8] [--conn-max-age 0] [--messages 30000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Platform, load_average, run_load, setup_django

SLUG = "bench-api"
SENDER = "+447911123490"


def prepare(count: int):
    """The tenant (provisioned in this run's sandbox), its subaccount credentials, and `count` accepted messages."""
    import secrets
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from messaging.models import Message
    from messaging.services.senders import sender_register
    from tenants.models import Tenant
    from tenants.selectors import subaccount_auth
    from tenants.services.lifecycle import public_tenant_ensure, tenant_create, tenant_provision

    call_command("migrate_all", verbosity=0)
    public_tenant_ensure()  # the platform host, where Twilio's webhooks arrive
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = tenant_create(name="API benchmark", slug=SLUG, time_zone="Europe/London", default_country="GB")
    else:
        tenant = tenant_provision(tenant=tenant, replace=True)  # this run's sandbox has not seen it
    account_sid, token = subaccount_auth(tenant)
    now = timezone.now()
    with tenant_context(tenant):
        sender = sender_register(kind="long_code", address=SENDER, country="GB", mps=Decimal(10), label="Bench")
        Message.objects.filter(status="accepted").update(status="canceled", canceled_at=now)  # earlier runs'
        messages = Message.objects.bulk_create(
            Message(direction="outbound", source="api", status="accepted", to=f"+4479112{i % 100_000:05d}",
                    from_address=sender.address, sender=sender, body="Your table is ready.", encoding="GSM-7",
                    segments=1, twilio_sid="SM" + secrets.token_hex(16), accepted_at=now, queued_at=now,
                    sending_at=now, attempts=1)
            for i in range(count)
        )  # fmt: skip
    return tenant, account_sid, token, [(str(m.uuid), m.twilio_sid) for m in messages]


def outcome(tenant, uuids: list[str]) -> tuple[dict[str, int], int]:
    """The statuses the posted messages reached, and how many callback events they have."""
    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from messaging.models import Message, MessageEvent

    with tenant_context(tenant):
        statuses = dict(Message.objects.filter(uuid__in=uuids).values_list("status").annotate(n=Count("id")).order_by())
        events = MessageEvent.objects.filter(message__uuid__in=uuids, kind="callback").count()
    return statuses, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--conn-max-age", type=int, default=0, help="the web processes' DATABASE_CONN_MAX_AGE")
    parser.add_argument("--messages", type=int, default=30_000, help="more than the run can post (two callbacks each)")
    args = parser.parse_args()

    from twilio.request_validator import RequestValidator

    with Platform() as platform:
        platform.start_sandbox()
        setup_django()
        tenant, account_sid, token, messages = prepare(args.messages)
        url = platform.start_web(conn_max_age=args.conn_max_age)
        port = url.rsplit(":", 1)[1]
        public = f"http://localhost:{port}"  # the platform host, as Twilio calls it (WEBHOOK_BASE_URL)
        validator = RequestValidator(token)
        posted: set[str] = set()

        def healthz(_n):
            while True:
                yield "GET", f"{url}/healthz", {"Host": f"localhost:{port}"}, None

        def callbacks(n):
            for uuid, sid in messages[n :: args.connections]:
                posted.add(uuid)
                for status in ("sent", "delivered"):
                    params = {
                        "AccountSid": account_sid,
                        "MessageSid": sid,
                        "SmsSid": sid,
                        "MessageStatus": status,
                        "SmsStatus": status,
                        "From": SENDER,
                        "To": "+447911200001",
                        "ApiVersion": "2010-04-01",
                    }
                    if status == "delivered":
                        params["RawDlrDoneDate"] = "2612011200"
                    path = f"/webhooks/twilio/status/{uuid}"
                    headers = {
                        "Host": f"localhost:{port}",
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-Twilio-Signature": validator.compute_signature(public + path, params),
                    }
                    yield "POST", url + path, headers, urlencode(params).encode()  # fmt: skip

        print(f"load average before: {load_average()}")
        options = {"seconds": args.seconds, "connections": args.connections}
        bare = run_load("GET /healthz (bare view)", healthz, **options)
        status = run_load("POST status callback", callbacks, **options)
        print(f"load average after:  {load_average()}")
    statuses, events = outcome(tenant, sorted(posted))
    print(f"{args.connections} connections, {args.seconds:g} s each, gunicorn gthread 2 workers x 4 threads, "
          f"DATABASE_CONN_MAX_AGE={args.conn_max_age}")  # fmt: skip
    print(bare.line())
    print(status.line(bare) + "   (goals >= 1,000/s, p99 < 50 ms, ratio >= 0.5)")
    print(f"messages posted to: {len(posted):,}; their statuses now: {statuses}; callback events kept: {events:,}")
    if set(status.statuses) != {204}:
        raise SystemExit("some callbacks were not answered 204")


if __name__ == "__main__":
    main()
