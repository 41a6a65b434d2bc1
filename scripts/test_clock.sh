#!/usr/bin/env bash
# `make test-clock`: the non-browser suite under libfaketime at the nasty moments after
# today (scripts/test_clock.py computes and lists them), against PostgreSQL and Redis
# found or started like `make test` does. Extra arguments go to the script
# (`--list`, `--only N`, `-- PYTEST ARGS`). Exits non-zero if any moment fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.test
. scripts/services.sh
vagen_services
exec .venv/bin/python scripts/test_clock.py "$@"
