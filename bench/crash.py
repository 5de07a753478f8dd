"""Crashes: messages sent while the dispatch worker is killed with SIGKILL every few seconds (and restarted), then
counted at the Twilio sandbox: duplicates and losses (goals 0 and 0).

Creates (once) a tenant `bench-crash` with 10 UK long codes at 100 MPS, queues `--messages` one-segment messages,
each to a number of its own (as `message_send` stores and queues them), and starts `celery worker -Q dispatch
--concurrency 2` as `make run` does. Every `--kill-every` seconds (10) the worker's whole process group is killed with
SIGKILL and a new worker started, for as long as messages wait in their lanes. The benchmark plays beat: the
dispatch tick every second and the tenant's sweep every 5 s (with a sending lease of `--lease` seconds, so that
messages a dead worker left in `sending` are reconciled with Twilio within the run). When no message is queued or
sending any more (or after `--limit` seconds), it counts the messages the sandbox received per recipient: a
recipient with two is a duplicate, a queued recipient with none is a loss. Status callbacks go to a closed port.

Uses the development database and Redis (`python -m config.dev.embedded start`, or `make run` once). Run from the
repository root:

    .venv/bin/python bench/crash.py [--messages 20000] [--kill-every 10] [--lease 15] [--limit 1800] [--drainers 32]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    Platform,
    bench_tenant,
    cancel_queued,
    free_port,
    load_average,
    queue_messages,
    sandbox_get,
    sandbox_post,
    setup_django,
)

SLUG = "bench-crash"
SENDERS = 10
MPS = 100
FAST_SANDBOX = (
    "--accept-latency-ms", "1-3", "--sent-latency-ms", "1-5", "--delivery-latency-ms", "2-10",
    "--duplicate-callback-probability", "0", "--callback-retries", "0", "--callback-timeout-ms", "200",
    "--concurrency-limit", "1000",
)  # fmt: skip


def senders(tenant, sandbox_url: str, account_sid: str):
    from decimal import Decimal

    from django_tenants.utils import tenant_context

    from messaging.services.senders import sender_register

    made = []
    with tenant_context(tenant):
        for i in range(SENDERS):
            address = f"+4479111236{i:02d}"
            made.append(sender_register(kind="long_code", address=address, country="GB", mps=Decimal(MPS)))
            sandbox_post(sandbox_url, "/sandbox/api/senders",
                         {"address": address, "account_sid": account_sid, "mps": 1000})  # fmt: skip
    return made


def waiting(tenant, after: int) -> Counter:
    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from messaging.models import Message

    with tenant_context(tenant):
        rows = Message.objects.filter(pk__gt=after, status__in=["queued", "sending"])
        rows = rows.values_list("status").annotate(n=Count("id"))
        return Counter(dict(rows.order_by()))


def statuses(tenant, after: int) -> dict[str, int]:
    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from messaging.models import Message

    with tenant_context(tenant):
        return dict(Message.objects.filter(pk__gt=after).values_list("status").annotate(n=Count("id")).order_by())


def recipients(tenant, after: int) -> set[str]:
    from django_tenants.utils import tenant_context

    from messaging.models import Message

    with tenant_context(tenant):
        return set(Message.objects.filter(pk__gt=after).values_list("to", flat=True))


def kill(process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--kill-every", type=float, default=10.0)
    parser.add_argument("--lease", type=int, default=15, help="DISPATCH_SENDING_LEASE_SECONDS for the sweeper")
    parser.add_argument("--limit", type=float, default=1800.0, help="give up after this many seconds")
    parser.add_argument("--drainers", type=int, default=32, help="DISPATCH_DRAINERS (see the README)")
    args = parser.parse_args()
    os.environ["DISPATCH_SENDING_LEASE_SECONDS"] = str(args.lease)
    os.environ["DISPATCH_DRAINERS"] = str(args.drainers)

    kills = 0
    with Platform() as platform:
        sandbox_url = platform.start_sandbox(*FAST_SANDBOX)
        platform.env["WEBHOOK_BASE_URL"] = f"http://127.0.0.1:{free_port()}"  # callbacks refused at once
        platform.env["DISPATCH_SENDING_LEASE_SECONDS"] = str(args.lease)
        # A killed drain keeps its place among DISPATCH_DRAINERS until its lease (DISPATCH_DRAIN_SECONDS + 60 s)
        # runs out; with the default 2 places, two kills would stop sending for that long.
        platform.env["DISPATCH_DRAINERS"] = str(args.drainers)
        setup_django()
        from django_tenants.utils import tenant_context

        from messaging.dispatch.sweeper import sweep
        from messaging.tasks import dispatch_tick
        from tenants.selectors import subaccount_auth

        tenant = bench_tenant(SLUG, "Crash benchmark")
        cancel_queued(tenant)
        with tenant_context(tenant):
            from messaging.models import Message

            after = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0  # earlier runs' kept
        account_sid, _ = subaccount_auth(tenant)
        made = senders(tenant, sandbox_url, account_sid)

        def start_worker():
            name = f"bench-crash-{time.time_ns()}@%h"
            return platform.start_worker("dispatch", "-Q", "dispatch", "--concurrency", "2", "-n", name)

        worker = start_worker()
        print(f"load average before: {load_average()}")
        per_sender = -(-args.messages // SENDERS)
        plan = [(sender, min(per_sender, args.messages - i * per_sender)) for i, sender in enumerate(made)]
        queued = queue_messages(tenant, [(s, n) for s, n in plan if n > 0])
        started = time.monotonic()
        next_kill = started + args.kill_every
        next_sweep = started + 5
        left = waiting(tenant, after)
        while sum(left.values()) and time.monotonic() - started < args.limit:
            now = time.monotonic()
            if now >= next_kill and left["queued"]:
                kill(worker)
                kills += 1
                worker = start_worker()
                next_kill = now + args.kill_every
            if now >= next_sweep:
                with tenant_context(tenant):
                    sweep(tenant=tenant)
                next_sweep = now + 5
            dispatch_tick()
            time.sleep(1.0)
            left = waiting(tenant, after)
        elapsed = time.monotonic() - started
        time.sleep(1.0)
        found = sandbox_get(sandbox_url, f"/sandbox/api/messages?account_sid={account_sid}")["messages"]
        print(f"load average after:  {load_average()}")
        platform.stop()
        final = statuses(tenant, after)
        wanted = recipients(tenant, after)
        cancel_queued(tenant)

    at_sandbox = Counter(message["to"] for message in found)
    duplicates = sum(count - 1 for count in at_sandbox.values() if count > 1)
    lost = len(wanted - set(at_sandbox))
    strangers = len(set(at_sandbox) - wanted)
    print(f"{queued:,} messages to {len(wanted):,} recipients; worker killed with SIGKILL {kills} times "
          f"(every {args.kill_every:g} s while messages waited); {elapsed:,.0f} s")  # fmt: skip
    print(f"statuses at the end: {final}")
    print(f"at the sandbox: {len(found):,} messages to {len(at_sandbox):,} recipients")
    print(f"duplicates: {duplicates}  (goal 0)")
    if sum(left.values()):
        print(f"NOT SETTLED within {args.limit:g} s: still {dict(left)}; recipients not reached yet: {lost}")
    else:
        print(f"losses: {lost}  (goal 0)")
    if strangers:
        print(f"unexpected recipients at the sandbox: {strangers}")


if __name__ == "__main__":
    main()
