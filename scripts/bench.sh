#!/usr/bin/env bash
# Benchmarks arrive with the capabilities they measure (reminder sweep, case lists,
# PDF letters). Until then there is nothing honest to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
if ls bench/*.py >/dev/null 2>&1; then
  . scripts/services.sh
  for b in bench/*.py; do .venv/bin/python "$b"; done
else
  echo "Inga benchmarks ännu: de kommer med funktionerna de mäter."
fi
