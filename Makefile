# The README's commands. `make run` for the demo, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Embedded defaults for `make run`: SQLite, a file-system broker, e-mail to files in var/mail,
# served over plain HTTP on 127.0.0.1 with DEBUG off (users see the real error pages).
RUN_ENV := DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false \
	DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0 DJANGO_STATIC_MANIFEST=false DJANGO_STATIC_FROM_FINDERS=true \
	DJANGO_ALLOW_DEMO_DATA=true EMAIL_URL=filemail:// DJANGO_REQUIRE_2FA=false
# For commands that need settings but no secrets (makemigrations --check).
DEV_ENV := DJANGO_DEBUG=true

# Production-like settings for `check --deploy`.
DEPLOY_ENV := DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=contracts.police.example \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/contract_register CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	EMAIL_URL=smtp+tls://user:secret@smtp.police.example:587

.PHONY: run test test-fast install install-dev browser npm wrk services lint typecheck format check-deploy audit benchmark load-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed .env
install-dev: $(VENV)/.installed-dev .env

# This checkout's own secret key, read by config/settings.py (never committed).
.env: | $(BIN)/python
	umask 077 && $(BIN)/python -c 'import secrets; print("DJANGO_SECRET_KEY=" + secrets.token_urlsafe(50))' > $@

run: install .env
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev

# Debian's chromium for the browser tests, when missing.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; }

# axe-core for the accessibility tests, as package-lock.json pins it: `npm ci` when it is missing
# or the lock file changed (npm ci writes node_modules/.package-lock.json as it finishes).
npm:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund; fi

# Start PostgreSQL and Redis where they are installed but not running.
services:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; fi
	@if command -v redis-server >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
		$(SUDO) redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
		for i in $$(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done; fi

# The suite on every core (pytest-xdist). Each worker has its own test database, media folder and
# Redis database (tests/conftest.py). `--dist load` hands the tests out in collection order, in which
# pytest-django puts the transactional tests last: they empty the tables at the end, data migrations'
# rows included, so a test that needs those rows must not come after one of them on the same worker
# (which `loadscope` or `loadfile` would allow). PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST_XDIST := -n $(PYTEST_WORKERS) --dist load
# The suite keeps its byte code, pytest's rewritten test modules included, between runs even where the
# environment says not to write it (PYTHONDONTWRITEBYTECODE): compiling and rewriting the 130-odd test
# modules anew costs each worker seconds at every start.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

# The whole suite, as CI runs it (.ci/run), then the guards.
test: install-dev browser npm services
	$(PYTEST) $(PYTEST_XDIST)
	$(MAKE) upgrade-check
	$(MAKE) lint
	$(MAKE) typecheck
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) check-deploy
	$(MAKE) audit

# A demo database made by an older revision (UPGRADE_BASE, default 3018f54) and migrated by this tree
# keeps every table's rows and every page's answers (scripts/upgrade_check.py; make test runs it after
# pytest; tests/system/test_upgrade.py tests its comparisons).
.PHONY: screenshots
# The README's tour pictures, taken by the browser tests at 1366x768 into docs/screenshots/.
screenshots: install-dev browser npm services
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -p no:xdist tests/system/test_tour.py -q

.PHONY: upgrade-check
upgrade-check: install-dev services
	$(BIN)/python scripts/upgrade_check.py $(UPGRADE_CHECK_ARGS)

# Everything but the slow tier (tests/system/: Chromium, real Celery workers and Redis servers, faults,
# backups, accessibility; and the tests marked `slow`: migration round trips, seeding the whole demo):
# the quick answer while working. Not --reuse-db: the transactional tests empty
# the tables at the end, data migrations' rows included, and a kept database would start without them.
# Each run's databases are fresh copies of a template migrated once per set of migrations
# (tests/template_db.py), so the migrations are not run again until one changes.
# Hypothesis draws a quarter of the random examples there (HYPOTHESIS_PROFILE=fast, tests/examples.py).
test-fast: install-dev services
	HYPOTHESIS_PROFILE=fast $(PYTEST) $(PYTEST_XDIST) -m "not system"

# ruff, then import-linter: the apps' layers (pyproject.toml, [tool.importlinter]).
lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The django-stubs plugin loads config.settings, which needs no secret under DEBUG.
typecheck:
	$(DEV_ENV) $(BIN)/mypy

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy:
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# Known vulnerabilities in the installed requirements (requirements-dev.txt, which includes
# requirements.txt, and what they pull in): pip-audit asks PyPI's JSON API (AUDIT_SERVICE=osv asks
# the OSV database) and fails on any. A package the service cannot answer for is listed as not audited;
# AUDIT_STRICT=1 fails on that too, for a CI that reaches the service.
AUDIT_SERVICE ?= pypi
audit: install-dev
	@mkdir -p var
	$(BIN)/pip-audit --local --progress-spinner off --vulnerability-service $(AUDIT_SERVICE) \
		$(if $(filter 1 true yes,$(AUDIT_STRICT)),--strict) 2>&1 | tee var/pip-audit.txt; \
		status=$${PIPESTATUS[0]}; \
		if grep -q "could not be audited" var/pip-audit.txt; then \
			echo "audit: WARNING: $$(grep -c 'could not be audited' var/pip-audit.txt) packages were NOT audited:" \
				"the vulnerability service ($(AUDIT_SERVICE)) did not answer for them from this machine."; fi; \
		exit $$status

BENCH_ENV := DJANGO_SECRET_KEY=benchmark DJANGO_REQUIRE_2FA=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_ALLOWED_HOSTS=testserver \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/contract_register_bench}

# Debian's wrk for the register's throughput under load, when missing (benchmarks/goals.py falls back
# to a Python load generator without it).
wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; } || true

# BENCHMARK_SCALE contracts (10,000 by default) for the goals of "fast without a cache at national
# scale" (benchmarks/goals.py): on SCALE_DATABASE_URL when it names a database seeded with
# `manage.py seed_scale`, else on a throw-away one seeded here.
BENCHMARK_SCALE ?= 10000
benchmark: install-dev services wrk
	$(BENCH_ENV) $(BIN)/python benchmarks/register_list.py
	$(BENCH_ENV) $(BIN)/python benchmarks/review_round.py
	$(BENCH_ENV) $(BIN)/python benchmarks/import_contracts.py
	$(BENCH_ENV) $(BIN)/python benchmarks/performance_page.py
	$(BENCH_ENV) $(BIN)/python benchmarks/companies_house_snapshot.py
	@if [ -n "$$SCALE_DATABASE_URL" ]; then \
		$(BENCH_ENV) DATABASE_URL="$$SCALE_DATABASE_URL" $(BIN)/python benchmarks/goals.py; \
	else \
		$(BENCH_ENV) $(BIN)/python benchmarks/goals.py --seed-contracts $(BENCHMARK_SCALE); \
	fi

# 50 people at once through gunicorn against an already seeded database (seed_scale); not part of `make test`.
LOAD_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/contract_register_scale} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}

load-test: install-dev services
	$(LOAD_ENV) $(BIN)/python benchmarks/load_test.py $(LOAD_TEST_ARGS)

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3 node_modules
