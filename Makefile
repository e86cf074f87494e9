# Two commands matter: `make run` (set up and serve the demo) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The test suite runs against the real services (as CI does); override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run setup venv system-deps migrate demo serve test lint services-check worker beat

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# Fonts and tools the PDF reports and browser tests need (Debian packages); skipped when present.
system-deps:
	@bash .ci/system-deps

setup: venv system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_users

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/admin/ (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

services-check:
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) .ci/check_services.py

test: venv system-deps services-check
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CI_REQUIRE_SERVICES=1 \
		$(VENV)/bin/pytest $(PYTEST_ARGS); status=$$?; \
		if [ $$status -eq 5 ]; then echo "ERROR: pytest collected no tests." >&2; exit 1; fi; exit $$status

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

worker:
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=2

beat:
	$(VENV)/bin/celery -A config beat --loglevel=info
