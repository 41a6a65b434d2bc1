#!/usr/bin/env bash
# `make test`: lint, type check of the core, Django checks, migration check and the
# whole pytest suite (browser tests included) against real PostgreSQL and Redis. Extra
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test

. scripts/services.sh
vagen_services

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installerar Debians chromium för webbläsartesterna …"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  else
    echo "Webbläsartesterna behöver Debians chromium (/usr/bin/chromium): apt-get install chromium" >&2
    exit 1
  fi
fi

echo "== npm ci (the demo IdP for the SSO tests, scripts/demo_idp)"
./scripts/demo_idp/install.sh
# pysaml2 signs and verifies with Debian's xmlsec1 (the e-service's SAML sign-in).
if ! command -v xmlsec1 >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null; }
  else
    echo "E-tjänstens SAML-inloggning behöver xmlsec1: apt-get install xmlsec1" >&2
    exit 1
  fi
fi
# axe-core for the browser tests (tests/browser/axe.py): the versions in package-lock.json.
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null 2>&1 || { echo "Webbläsartesterna behöver npm (apt-get install npm) för axe-core" >&2; exit 1; }
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== mypy (the typed core modules and what they import)"
$BIN/mypy cases/access.py cases/permissions.py cases/selectors.py cases/roles.py
echo "== manage.py check"
$BIN/python manage.py check --fail-level WARNING
echo "== makemigrations --check"
$BIN/python manage.py makemigrations --check --dry-run
echo "== pytest"
$BIN/python -m pytest "$@"
