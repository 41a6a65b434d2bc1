# Vägen – `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test test-clock lint format typecheck check migrate demo bench clean lock lock-upgrade messages backup restore

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'

# The lock files (requirements.txt for production, requirements-dev.txt for development, CI
# and tests) pin every package with its sha256 hashes; pip refuses anything that differs.
# The stamp depends on the lock, so a changed lock (git pull, `make lock`) reinstalls.
LOCK := requirements-dev.txt
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" --index-url https://pypi.org/simple

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Vägen behöver Python 3.11 eller senare")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Order-only on the stamp: locking needs uv from the venv, not an up-to-date install first.
lock: | $(STAMP) ## Re-resolve the hashed lock files from pyproject.toml (keeps existing pins that still fit)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(UV_COMPILE) --extra dev -o requirements-dev.txt
	$(UV_COMPILE) --constraint requirements-dev.txt -o requirements.txt
	$(MAKE) $(STAMP)

lock-upgrade: | $(STAMP) ## Upgrade every locked package to the newest release pyproject.toml allows
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(UV_COMPILE) --extra dev --upgrade -o requirements-dev.txt
	$(UV_COMPILE) --constraint requirements-dev.txt -o requirements.txt
	$(MAKE) $(STAMP)

run: $(STAMP) ## Start web, worker and beat with demo data (SQLite + filesystem broker unless DATABASE_URL/REDIS_URL are set)
	mkdir -p var/celery/queue var/celery/processed var/celery/control
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_demo_signin
	./scripts/demo_idp/install.sh
	@echo
	@echo "  Vägen startar på http://127.0.0.1:$(PORT)/  (stoppa med Ctrl-C)"
	@echo "  Demokommunens inloggningstjänst (OpenID): http://127.0.0.1:8001/"
	@echo
	# honcho gives each process its own PORT; the demo IdP needs the web port.
	PORT=$(PORT) VAGEN_WEB_PORT=$(PORT) $(BIN)/honcho start -f Procfile

test: $(STAMP) ## Lint, checks and the whole test suite against PostgreSQL and Redis (found or started)
	./scripts/test.sh $(PYTEST_ARGS)

test-clock: $(STAMP) ## The suite without browser and stack tests under a faked clock (libfaketime) at the year's turn, DST nights and midsommarafton ahead
	./scripts/test_clock.sh $(CLOCK_ARGS)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP) ## mypy with django-stubs on the typed modules
	$(BIN)/mypy cases/access.py cases/permissions.py cases/selectors.py cases/roles.py

check: $(STAMP) ## Django system checks and migration check
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

migrate: $(STAMP) ## Apply migrations to the local database
	$(BIN)/python manage.py migrate

demo: $(STAMP) ## Load the demo data (idempotent)
	$(BIN)/python manage.py load_demo

bench: $(STAMP) ## Benchmarks (figures for issue notes); needs PostgreSQL like `make test`
	./scripts/bench.sh

messages: $(STAMP) ## Compile locale/sv (Swedish for third-party apps such as django-axes) after editing the .po
	$(BIN)/python manage.py compilemessages --locale sv --ignore ".venv/*" --ignore "node_modules/*"

backup: $(STAMP) ## Back up the database (pg_dump) and the stored files into BACKUP_DIR/<time>/ (default backups/)
	./scripts/backup.sh $(BACKUP_DIR)

restore: $(STAMP) ## Restore BACKUP=backups/<time> into DATABASE_URL (a fresh database) and the file storage
	./scripts/restore.sh $(BACKUP)

clean: ## Remove the virtualenv and local state under var/
	rm -rf $(VENV) var/*
