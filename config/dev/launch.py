"""What `make run` and `make test` do after the virtualenv exists.

`run`:  embedded services (when not configured) → migrations → demo data → web, worker, dispatch, beat and the Twilio
        sandbox in the foreground under honcho; Ctrl-C stops all of them and the embedded services.
`test`: embedded services → ruff, import-linter, migrations check, pytest → embedded services stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from config.dev import embedded

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WEB_PORT = int(os.environ.get("PORT", "8000"))
SANDBOX_PORT = int(os.environ.get("SANDBOX_PORT", "8025"))


def _environment(settings_module: str) -> dict[str, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings_module, PYTHONUNBUFFERED="1")
    if embedded.SERVICES_ENV_FILE.exists():
        for line in embedded.SERVICES_ENV_FILE.read_text().splitlines():
            name, _, value = line.partition("=")
            env.setdefault(name, value)
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


GUNICORN = [
    f"{BIN}/gunicorn",
    "config.wsgi",
    "--config",
    "python:config.gunicorn",  # the access log with link tokens masked
    "-b",
    f"0.0.0.0:{WEB_PORT}",
    "--worker-class",
    "gthread",
    "--workers",
    "2",
    "--threads",
    "4",
    "--access-logfile",
    "-",
    "--graceful-timeout",
    "5",
]


def _wait_for_sandbox(seconds: float = 30) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    url = f"http://127.0.0.1:{SANDBOX_PORT}/sandbox/api/health"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"the Twilio sandbox did not answer on {url} within {seconds:.0f} s") from None
            time.sleep(0.2)


def web() -> int:
    """The web process: once the sandbox answers, seed the demo (it provisions subaccounts there), then serve."""
    if _sandbox_enabled():
        _wait_for_sandbox()
    _manage(dict(os.environ), "seed_demo")
    os.execv(GUNICORN[0], GUNICORN)
    return 0  # not reached


def _sandbox_enabled() -> bool:
    return (BASE_DIR / "sandbox" / "__main__.py").exists()


def _processes() -> dict[str, str]:
    python = sys.executable
    processes = {
        "web": f"{python} -m config.dev.launch web",
        "worker": f"{BIN}/celery -A config worker -l INFO -Q celery,webhooks --concurrency 2 -n worker@%h",
        # The dispatch engine's drains: their own worker, so sending never waits behind other tasks.
        "dispatch": f"{BIN}/celery -A config worker -l INFO -Q dispatch --concurrency 2 -n dispatch@%h",
        "beat": f"{BIN}/celery -A config beat -l INFO -s {embedded.RUN_DIR}/celerybeat-schedule",
    }
    if _sandbox_enabled():
        processes["sandbox"] = f"{python} -m sandbox --port {SANDBOX_PORT} --state-dir {embedded.DATA_DIR}/sandbox"
    return processes


def _banner() -> str:
    return "\n".join(
        [
            "",
            "Switchboard is starting:",
            f"  ISV staff admin   http://localhost:{WEB_PORT}/admin/    admin@switchboard.test / switchboard",
            f"  Tenant acme       http://acme.localhost:{WEB_PORT}/       owner@acme.test / switchboard",
            f"  Tenant globex     http://globex.localhost:{WEB_PORT}/     owner@globex.test / switchboard",
            f"  API docs          http://localhost:{WEB_PORT}/api/v1/schema/swagger/",
            f"  Twilio sandbox    http://localhost:{SANDBOX_PORT}/sandbox/",
            "  Ctrl-C stops everything.",
            "",
        ]
    )


def run() -> int:
    from honcho.manager import Manager

    started = embedded.start()
    env = _environment("config.settings.local")
    try:
        # One line and exit 2 when a variable is malformed or a service cannot be reached.
        preflight = subprocess.run([sys.executable, "-m", "config.dev.preflight"], cwd=BASE_DIR, env=env, check=False)
        if preflight.returncode:
            return preflight.returncode
        _manage(env, "migrate_all", "-v0")
        print(_banner(), flush=True)
        manager = Manager()
        for name, command in _processes().items():
            manager.add_process(name, command, env=env, cwd=str(BASE_DIR))
        manager.loop()
        return manager.returncode or 0
    finally:
        if started:
            embedded.stop()


def _browser_available(env: dict[str, str]) -> bool:
    """Debian's Chromium drives the browser tests; install it when missing and we may."""
    if shutil.which("chromium"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing Debian's chromium for the browser tests…", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        apt_env = dict(env, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], env=apt_env, check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=apt_env, check=False, **quiet)
    return bool(shutil.which("chromium"))


def _checks(pytest_args: list[str]) -> list[list[str]]:
    return [
        [f"{BIN}/ruff", "check", "."],
        [f"{BIN}/ruff", "format", "--check", "."],
        [f"{BIN}/lint-imports"],
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        [f"{BIN}/pytest", *pytest_args],
    ]


def test(pytest_args: list[str]) -> int:
    started = embedded.start()
    env = _environment("config.settings.test")
    if not _browser_available(env):
        env["SWITCHBOARD_BROWSER_TESTS"] = "0"
        print("browser tests skipped: Chromium is not installed and cannot be installed here", flush=True)
    try:
        for command in _checks(pytest_args):
            print(
                "$",
                " ".join(Path(part).name if i == 0 else part for i, part in enumerate(command)),
                flush=True,
            )
            result = subprocess.run(command, cwd=BASE_DIR, env=env, check=False)
            if result.returncode != 0:
                return result.returncode
        return 0
    finally:
        if started:
            embedded.stop()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "run":
        return run()
    if command == "web":
        return web()
    if command == "test":
        return test(argv[2:])
    print("usage: python -m config.dev.launch run | test [pytest arguments]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
