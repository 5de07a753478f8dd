"""Pacing: 50 senders with MPS from 1 to 100 (over 1,000 segments/s together) drained by the dispatch engine's
Celery worker (2 processes, as `make run` starts it) into the Twilio sandbox, counted where they arrive.

Creates (once) a tenant `bench-dispatch` with 50 UK long codes whose MPS runs geometrically from 1 to 100, queues
enough one-segment messages for each to stay busy for the whole run (as `message_send` stores and queues them),
starts `celery worker -Q dispatch --concurrency 2`, plays beat's one-second dispatch tick, and `--seconds` after
the first message reaches the sandbox reads its arrival times (`GET /sandbox/api/arrivals`). Prints, for the
steady state (after `--warmup` seconds), each sender's achieved rate as a share of its MPS (goal at least 95 %),
the one-second windows in which any sender's segments at the sandbox exceeded its MPS (goal 0), and the worker's
CPU per message sent. Whatever is left queued is canceled at the end. Status callbacks go to a closed port: only
sending is measured.

Uses the development database and Redis (`python -m config.dev.embedded start`, or `make run` once). Run from the
repository root:

    .venv/bin/python bench/pacing.py [--seconds 60] [--warmup 5]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    Platform,
    bench_tenant,
    cancel_queued,
    free_port,
    group_cpu_seconds,
    load_average,
    queue_messages,
    sandbox_get,
    sandbox_post,
    setup_django,
)

SLUG = "bench-dispatch"
SENDERS = 50
FAST_SANDBOX = (
    "--accept-latency-ms", "1-3", "--sent-latency-ms", "1-5", "--delivery-latency-ms", "2-10",
    "--duplicate-callback-probability", "0", "--callback-retries", "0", "--callback-timeout-ms", "200",
    "--concurrency-limit", "1000",
)  # fmt: skip


def mps_plan() -> list[int]:
    """50 rates from 1 to 100, spaced geometrically (many slow senders, a few fast ones)."""
    return [max(1, round(100 ** (i / (SENDERS - 1)))) for i in range(SENDERS)]


def senders(tenant, sandbox_url: str, account_sid: str, rates: list[int]):
    from decimal import Decimal

    from django_tenants.utils import tenant_context

    from messaging.services.senders import sender_register

    made = []
    with tenant_context(tenant):
        for i, mps in enumerate(rates):
            address = f"+4479111235{i:02d}"
            made.append(sender_register(kind="long_code", address=address, country="GB", mps=Decimal(mps)))
            # Twilio's own queue drains faster than the engine sends, so what arrives is what the engine paced.
            sandbox_post(sandbox_url, "/sandbox/api/senders",
                         {"address": address, "account_sid": account_sid, "mps": 1000})  # fmt: skip
    return made


def windows_over(arrivals: list[list[float]], mps: int, start: float, end: float) -> set[int]:
    """The one-second windows [start + k, start + k + 1) in which more than `mps` segments arrived."""
    counts: dict[int, int] = {}
    for at, segments in arrivals:
        if start <= at < end:
            window = int(at - start)
            counts[window] = counts.get(window, 0) + segments
    return {window for window, count in counts.items() if count > mps}


def wait_for_first_send(sandbox_url: str, tick, seconds: float = 120) -> None:
    """The clock starts when the worker's first message reaches the sandbox (not while the worker boots)."""
    deadline = time.monotonic() + seconds
    while sandbox_get(sandbox_url, "/sandbox/api/health")["messages"] == 0:
        if time.monotonic() > deadline:
            raise SystemExit(f"no message reached the sandbox within {seconds:.0f} s")
        tick()
        time.sleep(0.2)


def first_arrival(arrivals: list[list[float]], start: float) -> str:
    later = [at for at, _ in arrivals if at >= start]
    return f"{later[0] - start:.1f}" if later else "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    args = parser.parse_args()
    rates = mps_plan()

    with Platform() as platform:
        sandbox_url = platform.start_sandbox(*FAST_SANDBOX)
        closed = f"http://127.0.0.1:{free_port()}"  # status callbacks are refused at once
        platform.env["WEBHOOK_BASE_URL"] = closed
        setup_django()
        from messaging.tasks import dispatch_tick
        from tenants.selectors import subaccount_auth

        tenant = bench_tenant(SLUG, "Dispatch benchmark")
        cancel_queued(tenant)
        account_sid, _ = subaccount_auth(tenant)
        made = senders(tenant, sandbox_url, account_sid, rates)
        worker = platform.start_worker(
            "dispatch", "-Q", "dispatch", "--concurrency", "2", "-n", f"bench-dispatch-{time.time_ns()}@%h"
        )
        time.sleep(3)  # the worker connects to the broker
        plan = [(sender, math.ceil(mps * (args.seconds + 15))) for sender, mps in zip(made, rates, strict=True)]
        print(f"load average before: {load_average()}")
        queued = queue_messages(tenant, plan)
        wait_for_first_send(sandbox_url, dispatch_tick)
        start = sandbox_get(sandbox_url, "/sandbox/api/health")["now"]
        cpu_start = group_cpu_seconds(worker.pid)
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            dispatch_tick()  # what beat does every second
            time.sleep(1.0)
        cpu = group_cpu_seconds(worker.pid) - cpu_start
        found = sandbox_get(sandbox_url, f"/sandbox/api/arrivals?account_sid={account_sid}")
        print(f"load average after:  {load_average()}")
        platform.stop()
        canceled = cancel_queued(tenant)

    end = start + args.seconds
    steady = start + args.warmup
    arrivals = found["senders"]
    sent = sum(1 for times in arrivals.values() for at, _ in times if start <= at < end)
    shares, over = [], set()
    for sender, mps in zip(made, rates, strict=True):
        times = arrivals.get(sender.address, [])
        segments = sum(n for at, n in times if steady <= at < end)
        shares.append((segments / (end - steady) / mps, mps, sender.address))
        over |= windows_over(times, mps, start, end)
    shares.sort()
    print(f"{SENDERS} senders, MPS {rates[0]}..{rates[-1]}, {sum(rates):,} segments/s together; "
          f"{queued:,} messages queued; {args.seconds:g} s, steady state after {args.warmup:g} s")  # fmt: skip
    print(f"sent (arrived at the sandbox): {sent:,} = {sent / args.seconds:,.0f}/s; left queued and canceled: "
          f"{canceled:,}")  # fmt: skip
    print("achieved share of MPS, lowest five: " + ", ".join(f"{s:.1%} (MPS {m})" for s, m, _ in shares[:5]))
    print(f"achieved share of MPS: min {shares[0][0]:.1%}, median {shares[len(shares) // 2][0]:.1%}, "
          f"max {shares[-1][0]:.1%}; senders at >= 95 %: {sum(s >= 0.95 for s, _, _ in shares)}/{SENDERS}")  # fmt: skip
    by_band = {}
    for share, mps, _ in shares:
        band = "1-9" if mps < 10 else "10-49" if mps < 50 else "50-100"
        by_band.setdefault(band, []).append(share)
    print("mean share by MPS band: " + ", ".join(f"{b}: {sum(v) / len(v):.1%} ({len(v)})" for b, v in by_band.items()))
    every = sorted((mps, share, first_arrival(arrivals.get(address, []), start)) for share, mps, address in shares)
    print("each sender, MPS: share (first arrival, s): " + ", ".join(f"{m}: {s:.0%} ({f})" for m, s, f in every))
    print(f"one-second windows with any sender over its MPS: {len(over)} of {int(args.seconds)}  (goal 0)")
    print(f"worker CPU: {cpu:.1f} s for {sent:,} messages = {cpu / max(sent, 1) * 1000:.2f} ms per message")


if __name__ == "__main__":
    main()
