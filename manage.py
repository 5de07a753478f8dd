#!/usr/bin/env python
"""Django's command-line utility for Switchboard.

Without DJANGO_SETTINGS_MODULE, the development settings are used only while `make run` or `make test` runs in this
checkout (their embedded services write `.data/run/services.env`); anywhere else the production settings are, and
they refuse to start without their secrets. Set DJANGO_SETTINGS_MODULE=config.settings.local to choose development.
"""

import os
import sys
from pathlib import Path

SERVICES_ENV_FILE = Path(__file__).resolve().parent / ".data" / "run" / "services.env"


def default_settings_module() -> str:
    """`config.settings.local` while this checkout's development services run, else `config.settings.production`."""
    return "config.settings.local" if SERVICES_ENV_FILE.exists() else "config.settings.production"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings_module())
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
