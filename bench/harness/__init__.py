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
        command = [sys.executable, "-m", "sandbox", "--port", "0", "--seed", "1", *flags]
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

    def start_web(self, port: int | None = None) -> str:
        from config.dev.launch import GUNICORN

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
