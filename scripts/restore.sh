#!/usr/bin/env bash
# `make restore BACKUP=backups/<time>`: put a backup made by scripts/backup.sh back.
# Restores into the database of DATABASE_URL – normally a new, empty one (createdb) –
# and uploads the files into VAGEN_S3_BUCKET (created if missing) or MEDIA_ROOT.
# The checksums are verified first; a damaged backup is refused before anything is
# written. Then `python manage.py migrate` brings an older backup up to this version.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL måste vara satt (postgres://…)}"
source_dir=${1:-${BACKUP:-}}
[ -n "$source_dir" ] && [ -f "$source_dir/database.dump" ] || {
  echo "Ange säkerhetskopian: make restore BACKUP=backups/<tid>" >&2; exit 1; }
PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python )}
echo "Kontrollerar kontrollsummorna …"
(cd "$source_dir" && sha256sum --quiet -c SHA256SUMS)
echo "Återställer databasen …"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$source_dir/database.dump"
echo "Återställer filerna …"
"$PY" scripts/objects_backup.py upload "$source_dir/objects"
echo "Klart. Kör nu: python manage.py migrate"
