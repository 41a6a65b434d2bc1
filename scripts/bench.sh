#!/usr/bin/env bash
# `make bench`: the benchmarks in bench/ (each prints its figures) against PostgreSQL,
# found or started like `make test` does. They use a database of their own (vagen_bench).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh
vagen_services
for b in bench/[a-z]*.py; do
  echo "== $b"
  .venv/bin/python "$b"
done
