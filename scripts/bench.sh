#!/usr/bin/env bash
# `make bench`: the benchmarks in bench/ (each prints its figures) against PostgreSQL,
# found or started like `make test` does. They use databases of their own (vagen_bench_10k/_100k/_200k, vagen_bench_sweep;
# VAGEN_BENCH_DB_PREFIX changes the prefix).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh
vagen_services
# scale.py first: it generates (once) the per-size databases load.py serves over HTTP.
for b in bench/scale.py bench/load.py bench/sweep.py bench/pdf.py bench/decision_letters.py; do
  echo "== $b (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  .venv/bin/python "$b"
done
