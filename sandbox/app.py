"""The aiohttp application: Twilio's routes, the control API, the page, and the server's start and stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from aiohttp import web

from sandbox import (
    page,
    persist,
    routes_accounts,
    routes_control,
    routes_messages,
    routes_numbers,
    routes_services,
)
from sandbox.config import SandboxConfig
from sandbox.errors import ApiError
from sandbox.runtime import Sandbox
from sandbox.web_common import SANDBOX_KEY, error_response

logger = logging.getLogger("sandbox")
PERSIST_TASK = web.AppKey("persist_task", asyncio.Task)


def build_app(config: SandboxConfig) -> web.Application:
    """An application serving one sandbox configured by `config`."""
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app[SANDBOX_KEY] = Sandbox(config)
    for module in (routes_accounts, routes_messages, routes_numbers, routes_services, routes_control, page):
        module.add_routes(app)
    # Registered last, so it only answers what nothing else matched, with Twilio's JSON instead of a text 404.
    app.router.add_route("*", "/{tail:.*}", _not_found)
    app.on_startup.append(_start_persistence)
    app.on_cleanup.append(_stop)
    return app


async def _not_found(request: web.Request) -> web.Response:
    return error_response(ApiError(20404, f"The requested resource {request.path} was not found"))


async def _start_persistence(app: web.Application) -> None:
    sandbox = app[SANDBOX_KEY]
    if sandbox.config.state_dir:
        persist.load(sandbox, sandbox.config.state_dir)
        app[PERSIST_TASK] = asyncio.get_running_loop().create_task(
            persist.keep_saved(sandbox, sandbox.config.state_dir)
        )


async def _stop(app: web.Application) -> None:
    task = app.get(PERSIST_TASK)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await app[SANDBOX_KEY].close()


async def serve(config: SandboxConfig) -> None:
    """Run the sandbox until SIGINT/SIGTERM; logs one line with its URL once it listens."""
    app = build_app(config)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port, backlog=1024, reuse_address=True)
    await site.start()
    port = runner.addresses[0][1]
    sandbox = app[SANDBOX_KEY]
    for settings in (config, sandbox.startup_config):
        settings.port = port
    url = f"http://{config.host}:{port}"
    print(
        f"Twilio sandbox listening on {url} (page {url}/sandbox/, public URL {config.resolved_public_url()}, "
        f"main account {config.account_sid}, seed {config.seed})",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def run(config: SandboxConfig) -> int:
    """Blocking entry point for `python -m sandbox`."""
    try:
        asyncio.run(serve(config))
    except OSError as error:
        print(f"Twilio sandbox could not start: {error}", file=sys.stderr, flush=True)
        return 1
    return 0
