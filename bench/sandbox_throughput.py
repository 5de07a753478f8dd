"""Throughput of the local Twilio sandbox: `POST Messages.json` from concurrent connections, on loopback.

Starts `python -m sandbox` on a free port, gives the main account a sender, then keeps `--connections`
aiohttp client connections busy sending messages for `--seconds` (at most 10). Prints requests per second,
p50/p99 latency and the ratio to the 2,000 requests/s target. Run from the repository root:

    .venv/bin/python bench/sandbox_throughput.py [--seconds 5] [--connections 8] [--mps 100]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET_RPS = 2000
ACCOUNT_SID = "AC00000000000000000000000000000001"
AUTH_TOKEN = "sandbox0auth0token000000000000001"
SENDER = "12345"  # a short code (100 MPS by default), so the queue drains while the benchmark runs


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    """Start the sandbox on a free port; return the process and its base URL."""
    command = [
        sys.executable, "-m", "sandbox", "--port", "0", "--seed", "1",
        "--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN, "--concurrency-limit", "1000",
        "--duplicate-callback-probability", "0",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"listening on (http://\S+)", line)
    if not found:
        process.kill()
        raise SystemExit(f"the sandbox did not start: {line}{process.stdout.read()}")
    return process, found.group(1)


def provision(base_url: str, mps: float) -> None:
    """Give the main account the benchmark's sender."""
    payload = json.dumps({"address": SENDER, "mps": mps}).encode()
    request = urllib.request.Request(
        f"{base_url}/sandbox/api/senders", data=payload, headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(request, timeout=10).close()


async def worker(session: aiohttp.ClientSession, url: str, deadline: float, worker_id: int, results: dict) -> None:
    """Send messages back to back until the deadline, recording each latency (s) and failures."""
    headers = {
        "Authorization": "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode(),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    sequence = 0
    while time.perf_counter() < deadline:
        sequence += 1
        body = f"To=%2B1415{200 + worker_id:03d}{sequence % 10000:04d}&From={SENDER}&Body=Benchmark+message+{sequence}"
        started = time.perf_counter()
        async with session.post(url, data=body.encode(), headers=headers) as response:
            answer = await response.read()
            status = response.status
        results["latencies"].append(time.perf_counter() - started)
        if status != 201:
            results["failures"] += 1
            results.setdefault("first_failure", f"{status} {answer.decode(errors='replace')}")


async def run(base_url: str, seconds: float, connections: int) -> dict:
    """Drive the load for `seconds`; returns latencies, failures and the measured wall time."""
    url = f"{base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    results: dict = {"latencies": [], "failures": 0}
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        warmup = {"latencies": [], "failures": 0}
        await asyncio.gather(*(worker(session, url, time.perf_counter() + 0.5, i, warmup) for i in range(connections)))
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(worker(session, url, deadline, i, results) for i in range(connections)))
        results["elapsed"] = time.perf_counter() - started
    return results


def report(results: dict, connections: int) -> None:
    """Print the figures."""
    latencies = sorted(results["latencies"])
    count = len(latencies)
    rps = count / results["elapsed"]
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(count - 1, int(count * 0.99))] * 1000
    print(f"sandbox POST Messages.json, {connections} connections, {results['elapsed']:.1f} s")
    print(f"  requests   {count} ({results['failures']} not 201)")
    print(f"  throughput {rps:,.0f} req/s  ({rps / TARGET_RPS:.2f}x the {TARGET_RPS:,} req/s target)")
    print(f"  latency    p50 {p50:.2f} ms   p99 {p99:.2f} ms")
    if "first_failure" in results:
        print(f"  first failure: {results['first_failure']}")


def main() -> int:
    """Parse flags, start the sandbox, run, report, stop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured duration, at most 10")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mps", type=float, default=100.0, help="MPS of the benchmark's sender")
    args = parser.parse_args()
    process, base_url = start_sandbox()
    try:
        provision(base_url, args.mps)
        results = asyncio.run(run(base_url, min(args.seconds, 10.0), args.connections))
        report(results, args.connections)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return 0 if results["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
