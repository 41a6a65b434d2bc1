#!/usr/bin/env bash
# Screenshots for the README's user guide: docs/screenshots/*.png from the demo data,
# through Playwright and Debian's Chromium against a live test server (PostgreSQL and
# Redis as for `make test`). Usage: scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.test
. scripts/services.sh
vagen_services
VAGEN_SCREENSHOTS=1 .venv/bin/python -m pytest -q tests/browser/test_screenshots.py "$@"
