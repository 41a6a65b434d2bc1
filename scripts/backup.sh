#!/usr/bin/env bash
# `make backup [BACKUP_DIR=backups]`: one consistent backup of Vägen into a new folder
# BACKUP_DIR/<UTC time>/ :
#   database.dump   pg_dump custom format (compressed; pg_restore reads it)
#   objects/        every object of the file bucket (VAGEN_S3_BUCKET), when one is used,
#                   else MEDIA_ROOT copied as it is
#   SHA256SUMS      checksums of all of the above (sha256sum -c checks a copy)
# Needs DATABASE_URL (postgres://…) and, for object storage, the VAGEN_S3_* variables –
# the same environment the application runs with. Personal data: keep the folder
# encrypted and access-controlled like the database itself (README "Säkerhetskopior").
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL måste vara satt (postgres://…)}"
PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python )}
base=${1:-${BACKUP_DIR:-backups}}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$base/$stamp"
mkdir -p "$target"
chmod 700 "$base" "$target"
echo "Säkerhetskopierar databasen …"
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL"
echo "Säkerhetskopierar filerna …"
"$PY" scripts/objects_backup.py download "$target/objects"
(cd "$target" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
echo "$target"
