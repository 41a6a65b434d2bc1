#!/usr/bin/env bash
# Install the demo IdP's npm packages (oidc-provider) from the lock file when missing or
# stale; used by `make run` and by the tests (tests/oidc_idp.py).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
