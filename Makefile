# Switchboard: `make run` starts the platform, `make test` runs every check. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
PYTEST_ARGS ?=

.PHONY: run test test-services lint format bench clean-data

$(READY): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
		{ echo "Switchboard needs Python 3.11 or newer as '$(PYTHON)'; found: $$($(PYTHON) --version 2>&1)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $(READY)

run: $(READY)
	$(PY) -m config.dev.launch run

test: $(READY)
	$(PY) -m config.dev.launch test $(PYTEST_ARGS)

# The integration tests again, against this machine's PostgreSQL, Redis and RabbitMQ (the production path).
test-services: $(READY)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/switchboard} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-amqp://guest:guest@127.0.0.1:5672//} \
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -m integration -p no:randomly $(PYTEST_ARGS)

lint: $(READY)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

format: $(READY)
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

bench: $(READY)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean-data:
	$(PY) -m config.dev.embedded stop; rm -rf .data
