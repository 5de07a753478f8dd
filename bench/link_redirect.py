"""The short-link redirect through gunicorn: redirects per second and their latency, beside a bare Django view
(`/healthz`, which reads nothing) served by the same gunicorn in the same run.

Makes a tenant of its own (`bench-links`) with one tracked link and `--recipients` codes of it, starts gunicorn
exactly as `config/dev/launch.py` does (gthread, 2 workers × 4 threads, the access log on) on a free loopback port,
then keeps `--connections` aiohttp connections busy for `--seconds` on `/healthz`, then as long on the short links
(`/l/bench-links/<code>`, each request another recipient). Every redirect must answer 302 and record one click;
the script counts the clicks afterwards, then deletes them. It also times `PreparedLinks.render` (what a fan-out
does per recipient) on a body with two links.

Uses the development database (`make run` once, or `python -m config.dev.embedded start`); migrates it
(`migrate_all`). Run from the repository root:

    .venv/bin/python bench/link_redirect.py [--seconds 5] [--connections 8] [--conn-max-age 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import aiohttp  # noqa: E402 - after the path is set

SLUG, SCHEMA = "bench-links", "bench_links"
OWNER_ID = 1
RENDER_BODY = "Winter sale at Acme: https://bench.test/offer, or find a store: https://bench.test/stores"


def render_rate(bodies: int) -> float:
    """Bodies per second that `PreparedLinks.render` makes of a body with two links (a fan-out's share)."""
    from django_tenants.utils import tenant_context

    from messaging.services.links import links_prepare
    from tenants.models import Tenant

    tenant = Tenant.objects.get(slug=SLUG)
    with tenant_context(tenant):
        prepared = links_prepare(tenant=tenant, body=RENDER_BODY, owner_kind="campaign", owner_id=OWNER_ID + 1)
    started = time.perf_counter()
    for ref in range(1, bodies + 1):
        prepared.render(ref, "A")
    return bodies / (time.perf_counter() - started)


def setup(recipients: int) -> list[str]:
    """The bench tenant, its link, and one short-link path per recipient."""
    import django

    django.setup()
    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from messaging.models import LinkClick
    from messaging.services.links import links_prepare
    from tenants.models import Tenant

    call_command("migrate_all", verbosity=0)
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = Tenant.objects.create(slug=SLUG, schema_name=SCHEMA, name="Link benchmark")
    with tenant_context(tenant):
        LinkClick.objects.all().delete()
        prepared = links_prepare(
            tenant=tenant, body="Offer https://bench.test/offer", owner_kind="campaign", owner_id=OWNER_ID
        )
    return ["/l/" + prepared.render(ref).split("/l/", 1)[1] for ref in range(1, recipients + 1)]


def clicks_recorded() -> int:
    from django_tenants.utils import schema_context

    from messaging.models import LinkClick

    with schema_context(SCHEMA):
        count = LinkClick.objects.count()
        LinkClick.objects.all().delete()
    return count


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, conn_max_age: int) -> subprocess.Popen:
    from config.dev import launch

    command = [str(part) for part in launch.GUNICORN]
    command[command.index(f"0.0.0.0:{launch.WEB_PORT}")] = f"127.0.0.1:{port}"
    env = launch._environment("config.settings.local")
    env.update(DEBUG="false", DATABASE_CONN_MAX_AGE=str(conn_max_age))
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


async def load(base: str, paths: list[str], seconds: float, connections: int, expect: int) -> dict:
    latencies: list[float] = []
    wrong: dict[int, int] = {}
    counter = iter(range(10**12))
    deadline = time.perf_counter() + seconds

    async def one(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            path = paths[next(counter) % len(paths)]
            started = time.perf_counter()
            async with session.get(base + path, allow_redirects=False) as response:
                await response.read()
                if response.status != expect:
                    wrong[response.status] = wrong.get(response.status, 0) + 1
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(one(session) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--conn-max-age", type=int, default=0, help="DATABASE_CONN_MAX_AGE of the web processes")
    args = parser.parse_args()

    paths = setup(args.recipients)
    rendered = render_rate(200_000)
    port = free_port()
    server = start_gunicorn(port, args.conn_max_age)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(load(base, ["/healthz"], 1.0, args.connections, 200))  # warm-up: workers, imports
        asyncio.run(load(base, paths[:50], 1.0, args.connections, 302))
        clicks_recorded()
        bare = asyncio.run(load(base, ["/healthz"], args.seconds, args.connections, 200))
        links = asyncio.run(load(base, paths, args.seconds, args.connections, 302))
    finally:
        server.terminate()
        server.wait(timeout=10)
    recorded = clicks_recorded()
    print(f"gunicorn gthread 2×4, {args.connections} connections, {args.seconds:g} s each, "
          f"DATABASE_CONN_MAX_AGE={args.conn_max_age}")  # fmt: skip
    for name, figures in (("bare view /healthz", bare), ("short link /l/…", links)):
        print(
            f"{name:20} {figures['per_second']:9,.0f} req/s   p50 {figures['p50_ms']:6.2f} ms   "
            f"p99 {figures['p99_ms']:6.2f} ms   requests {figures['requests']:,}   other answers {figures['wrong']}"
        )
    print(f"redirects / bare view: {links['per_second'] / bare['per_second']:.2f}×")
    print(f"clicks recorded: {recorded:,} of {links['requests']:,} redirects")
    print(f"render, a body with two links: {rendered:,.0f} bodies/s, no query")
    if bare["wrong"] or links["wrong"] or recorded != links["requests"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
