"""What the engine's benchmarks share: the platform's processes started as `make run` starts them, on free loopback
ports, and a closed-loop HTTP load generator with latency percentiles.

Every process uses the development database and Redis (`python -m config.dev.embedded start` or `make run` once) with
`DEBUG` off, as in production; the Twilio sandbox is started fresh on a free port for each run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SETTINGS = "config.settings.local"
RECIPIENTS = 500_000_000  # +447400000000 onwards: UK mobile numbers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def services_env() -> dict[str, str]:
    """The embedded services' addresses (started if they are not), as `make run` reads them."""
    sys.path.insert(0, str(REPO_ROOT))
    from config.dev import embedded

    embedded.start()
    found = {}
    for line in embedded.SERVICES_ENV_FILE.read_text().splitlines():
        name, _, value = line.partition("=")
        if name:
            found[name] = value
    return found


class Platform:
    """The processes of one benchmark run; every one is stopped by `stop()` (or on leaving the `with`)."""

    def __init__(self) -> None:
        self.env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS, DEBUG="false", PYTHONUNBUFFERED="1")
        for name, value in services_env().items():
            self.env.setdefault(name, value)
        self.processes: dict[str, subprocess.Popen] = {}
        self.sandbox_url = ""
        self.web_url = ""

    # --- the Twilio sandbox -----------------------------------------------------------------------------------

    def start_sandbox(self, *flags: str) -> str:
        """`python -m sandbox` on a free port; the platform's processes are pointed at it."""
        command = [sys.executable, "-m", "sandbox", "--port", "0", *flags]  # unseeded: SIDs unlike earlier runs
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=self.env
        )
        self.processes["sandbox"] = process
        line = process.stdout.readline()
        found = re.search(r"listening on (http://\S+)", line)
        if not found:
            self.stop()
            raise SystemExit(f"the sandbox did not start: {line}")
        threading_drain(process)
        self.sandbox_url = found.group(1)
        for name in ("TWILIO_API_BASE_URL", "TWILIO_LOOKUPS_BASE_URL", "TWILIO_MESSAGING_BASE_URL"):
            self.env[name] = self.sandbox_url
            os.environ[name] = self.sandbox_url
        return self.sandbox_url

    # --- gunicorn, as config/dev/launch.py starts it ----------------------------------------------------------

    def start_web(self, port: int | None = None, *, conn_max_age: int = 0) -> str:
        """gunicorn with `DATABASE_CONN_MAX_AGE=conn_max_age` (0, a connection per request, is what `make run` has)."""
        from config.dev.launch import GUNICORN

        self.env["DATABASE_CONN_MAX_AGE"] = str(conn_max_age)

        port = port or free_port()
        command = list(GUNICORN)
        command[command.index("-b") + 1] = f"127.0.0.1:{port}"
        self.web_url = f"http://127.0.0.1:{port}"
        self.env["WEBHOOK_BASE_URL"] = self.web_url
        os.environ["WEBHOOK_BASE_URL"] = self.web_url
        self.processes["web"] = subprocess.Popen(
            command, cwd=REPO_ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: _answers(f"{self.web_url}/healthz"), 30, "gunicorn did not answer /healthz")
        return self.web_url

    # --- Celery workers ---------------------------------------------------------------------------------------

    def start_worker(self, name: str, *args: str) -> subprocess.Popen:
        command = [f"{BIN}/celery", "-A", "config", "worker", "-l", "WARNING", *args]
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        self.processes[name] = process
        return process

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM) if _own_group(process) else process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def __enter__(self) -> Platform:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _own_group(process: subprocess.Popen) -> bool:
    try:
        return os.getpgid(process.pid) == process.pid
    except ProcessLookupError:
        return False


def threading_drain(process: subprocess.Popen) -> None:
    """Read a child's output in the background, so a full pipe never blocks it."""
    import threading

    def pump() -> None:
        for _ in process.stdout:
            pass

    threading.Thread(target=pump, daemon=True).start()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(probe: Callable[[], bool], seconds: float, failure: str) -> None:
    deadline = time.monotonic() + seconds
    while not probe():
        if time.monotonic() > deadline:
            raise SystemExit(failure)
        time.sleep(0.1)


def setup_django() -> None:
    """Django in this process, on the same settings and services as the platform's processes."""
    sys.path.insert(0, str(REPO_ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS  # importing `config` alone would choose production
    os.environ["DEBUG"] = "false"
    for name, value in services_env().items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --- the load generator ---------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def line(self, baseline: Result | None = None) -> str:
        text = (
            f"{self.name:<28} {self.rate:>8,.0f} req/s  p50 {self.percentile(0.5) * 1000:6.2f} ms  "
            f"p99 {self.percentile(0.99) * 1000:6.2f} ms  ({self.count:,} requests; statuses {self.statuses})"
        )
        if baseline is not None and baseline.rate:
            text += f"  ratio {self.rate / baseline.rate:.3f}"
        return text


Request = tuple[str, str, dict[str, str], bytes | None]  # method, url, headers, body


def run_load(
    name: str, requests: Callable[[int], Iterator[Request]], *, seconds: float, connections: int, warmup: float = 1.0
) -> Result:
    """Keep `connections` keep-alive connections busy, back to back, for `warmup` then `seconds`; each connection
    takes its requests from `requests(connection_number)`. Only the requests after the warm-up are counted."""
    return asyncio.run(_run_load(name, requests, seconds=seconds, connections=connections, warmup=warmup))


async def _run_load(name, requests, *, seconds, connections, warmup) -> Result:
    import aiohttp

    result = Result(name=name, seconds=seconds)
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    loop = asyncio.get_running_loop()
    start = loop.time()
    counting_from = start + warmup
    deadline = counting_from + seconds

    async def one_connection(session, number: int) -> None:
        for method, url, headers, body in requests(number):
            sent = loop.time()
            if sent >= deadline:
                return
            async with session.request(method, url, headers=headers, data=body) as response:
                await response.read()
            done = loop.time()
            if sent >= counting_from:
                result.latencies.append(done - sent)
                result.statuses[response.status] = result.statuses.get(response.status, 0) + 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(one_connection(session, n) for n in range(connections)))
    return result


# --- the platform's data --------------------------------------------------------------------------------------


def bench_tenant(slug: str, name: str):
    """A UK tenant of the benchmarks (created once), with a subaccount in this run's sandbox and its limits
    opened up; after `setup_django()` and `Platform.start_sandbox()`."""
    from django.core.management import call_command

    from tenants.models import Tenant, TenantLimits
    from tenants.services.lifecycle import public_tenant_ensure, tenant_create, tenant_provision

    call_command("migrate_all", verbosity=0)
    public_tenant_ensure()
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        tenant = tenant_create(name=name, slug=slug, time_zone="Europe/London", default_country="GB")
    else:
        tenant = tenant_provision(tenant=tenant, replace=True)  # this run's sandbox has not seen it
    TenantLimits.objects.filter(tenant=tenant).update(api_requests_per_minute=0, daily_message_cap=0)
    return tenant


def queue_messages(tenant, plan: list[tuple[object, int]]) -> int:
    """Store `count` queued one-segment messages for each (sender, count), each to a UK mobile number of its own
    (drawn afresh each run, so no earlier run's messages count against a recipient's frequency caps), and put them
    in the engine's lanes as `message_send` does once its transaction commits; returns how many."""
    import random

    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from messaging.models import Message
    from messaging.services.messages import enqueue

    now = timezone.now()
    number = random.randrange(RECIPIENTS)
    total = 0
    with tenant_context(tenant):
        for sender, count in plan:
            batch = []
            for _ in range(count):
                batch.append(
                    Message(direction="outbound", source="api", status="queued",
                            to=f"+44{7_400_000_000 + number % RECIPIENTS}", from_address=sender.address, sender=sender,
                            body="Your table is ready.", encoding="GSM-7", segments=1, queued_at=now)
                )  # fmt: skip
                number += 1
            for start in range(0, len(batch), 5_000):
                chunk = Message.objects.bulk_create(batch[start : start + 5_000])
                enqueue(tenant.schema_name, chunk)
                total += len(chunk)
    return total


def cancel_queued(tenant) -> int:
    """Cancel what a benchmark left queued, and take the tenant's lanes out of the engine's index."""
    from django.db import connection
    from django_tenants.utils import tenant_context

    from messaging.dispatch import keys, redis_index

    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE messaging_message SET status = 'canceled', canceled_at = now() "
            "WHERE status IN ('queued', 'scheduled')"
        )
        canceled = cursor.rowcount
    index = redis_index.client()
    lanes = list(index.scan_iter(match=f"{keys.PREFIX}:{{{tenant.schema_name}.*", count=1000))
    if lanes:
        index.delete(*lanes)
    for name in index.zrange(keys.READY, 0, -1):
        if name.decode().startswith(f"{tenant.schema_name}."):
            index.zrem(keys.READY, name)
    return canceled


def group_cpu_seconds(pgid: int) -> float:
    """User and system CPU seconds of the live processes of a process group (a Celery worker and its children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp; fields[11:13] are utime and stime
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def sandbox_get(base_url: str, path: str):
    import json

    with urllib.request.urlopen(base_url + path, timeout=60) as response:
        return json.loads(response.read())


def sandbox_post(base_url: str, path: str, payload: dict):
    import json

    request = urllib.request.Request(
        base_url + path, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())
