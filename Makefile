# Vägen – `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test test-clock lint format typecheck check migrate demo bench backup restore clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Vägen behöver Python 3.11 eller senare")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP) ## Start web, worker and beat with demo data (SQLite + filesystem broker unless DATABASE_URL/REDIS_URL are set)
	mkdir -p var/celery/queue var/celery/processed var/celery/control
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo
	@echo "  Vägen startar på http://127.0.0.1:$(PORT)/  (stoppa med Ctrl-C)"
	@echo
	PORT=$(PORT) $(BIN)/honcho start -f Procfile

test: $(STAMP) ## Lint, checks and the whole test suite against PostgreSQL and Redis (found or started)
	./scripts/test.sh $(PYTEST_ARGS)

test-clock: $(STAMP) ## The non-browser suite under a faked clock (libfaketime) at the year's turn, DST nights and midsommarafton ahead
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

backup: $(STAMP) ## Back up the database (pg_dump) and the stored files into BACKUP_DIR/<time>/ (default backups/)
	./scripts/backup.sh $(BACKUP_DIR)

restore: $(STAMP) ## Restore BACKUP=backups/<time> into DATABASE_URL (a fresh database) and the file storage
	./scripts/restore.sh $(BACKUP)

clean: ## Remove the virtualenv and local state under var/
	rm -rf $(VENV) var/*
