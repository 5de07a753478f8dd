"""`python -m sandbox`: run the local Twilio sandbox (flags below; `--help` lists them)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from sandbox.app import run
from sandbox.config import SandboxConfig, environment_defaults

# flag -> (config field, help); values go through SandboxConfig.update's coercion
_TUNABLES = {
    "--concurrency-limit": ("concurrency_limit", "API requests in flight per account before 429/20429 (20)"),
    "--request-delay-ms": ("request_delay_ms", "artificial time every API request spends in flight (0)"),
    "--accept-latency-ms": ("accept_latency_ms", "accepted -> queued, ms range LOW-HIGH (10-50)"),
    "--sent-latency-ms": ("sent_latency_ms", "sending -> sent, ms range LOW-HIGH (50-250)"),
    "--delivery-latency-ms": ("delivery_latency_ms", "sent -> delivered/undelivered, ms range (200-2000)"),
    "--duplicate-callback-probability": ("duplicate_callback_probability", "chance a webhook is sent twice (0.05)"),
    "--callback-retries": ("callback_retries", "retries of a failed webhook (1, like Twilio's rc)"),
    "--callback-timeout-ms": ("callback_timeout_ms", "total time allowed per webhook attempt (5000)"),
    "--callback-retry-delay-ms": ("callback_retry_delay_ms", "pause before retrying a failed webhook (100)"),
    "--undelivered-ranges": ("undelivered_ranges", "PREFIX=CODE,... numbers that end undelivered"),
    "--line-type-ranges": ("line_type_ranges", "PREFIX=TYPE,... Lookup line types (landline, fixedVoip, ...)"),
    "--delivery-delays-ms": ("delivery_delays_ms", "PREFIX=MS/MS/...,... scripted sent -> final delays in turn"),
}


def parse_args(argv: Sequence[str], environ: dict[str, str]) -> SandboxConfig:
    """Build the startup config: flags win over SANDBOX_*/TWILIO_* environment variables, then defaults."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Local Twilio sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(environ.get("SANDBOX_PORT", "8025")), help="0 = any free")
    parser.add_argument("--seed", type=int, default=None, help="seed of the RNG (SIDs, latencies, duplicates)")
    parser.add_argument("--account-sid", help="main account SID (TWILIO_ACCOUNT_SID)")
    parser.add_argument("--auth-token", help="main account auth token (TWILIO_AUTH_TOKEN)")
    parser.add_argument("--public-url", help="base URL others reach the sandbox at (default http://localhost:PORT)")
    parser.add_argument("--state-dir", default="", help="keep accounts, senders, services, opt-outs here")
    parser.add_argument("--log-level", default=environ.get("SANDBOX_LOG_LEVEL", "WARNING"))
    for flag, (_, help_text) in _TUNABLES.items():
        parser.add_argument(flag, help=help_text)
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return _config(args, environment_defaults(environ))


def _config(args: argparse.Namespace, env: dict[str, str]) -> SandboxConfig:
    config = SandboxConfig(host=args.host, port=args.port, state_dir=args.state_dir)
    for name in ("account_sid", "auth_token", "public_url"):
        value = getattr(args, name) or env.get(name)
        if value:
            setattr(config, name, value)
    seed = args.seed if args.seed is not None else env.get("seed")
    config.seed = int(seed) if seed is not None else None
    tunables = {field: env[field] for field, _ in _TUNABLES.values() if field in env}
    tunables |= {field: getattr(args, flag[2:].replace("-", "_")) for flag, (field, _) in _TUNABLES.items()}
    config.update({field: value for field, value in tunables.items() if value is not None})
    return config


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags and run until interrupted."""
    try:
        config = parse_args(sys.argv[1:] if argv is None else argv, dict(os.environ))
    except ValueError as error:
        print(f"bad setting: {error}", file=sys.stderr)
        return 2
    return run(config)


if __name__ == "__main__":
    sys.exit(main())
