#!/usr/bin/env bash
# Restore an ogp-tracker backup made by scripts/backup.sh into an EMPTY
# database (create it first) and the media folder.
#
#   createdb -h 127.0.0.1 -U postgres ogp_restored
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ogp_restored MEDIA_ROOT=/srv/ogp/media \
#     scripts/restore.sh /srv/backups/20260101T020000Z
#   scripts/restore.sh --compose ./backups/20260101T020000Z
#
# With --compose, stop the application first and give the database service a
# fresh, empty database (see the README, "Backups and restore"):
#   docker compose stop web worker
#   docker compose exec db dropdb -U ogp ogp && docker compose exec db createdb -U ogp ogp
# then restore, and start again with "docker compose up -d" (the release step
# applies any migration newer than the backup).
set -euo pipefail

compose=false
if [[ "${1:-}" == "--compose" ]]; then
  compose=true
  shift
fi
src="${1:?usage: scripts/restore.sh [--compose] BACKUP_FOLDER}"

# Refuse a damaged or incomplete backup before touching anything.
(cd "$src" && sha256sum --check --quiet SHA256SUMS)

if $compose; then
  docker compose exec -T db sh -c 'pg_restore --no-owner --no-privileges --exit-on-error --single-transaction -U "$POSTGRES_USER" -d "$POSTGRES_DB"' \
    <"$src/database.dump"
  if [[ -f "$src/media.tar.gz" ]]; then
    docker compose run --rm -T --no-deps web tar -C /app/var/media -xzf - <"$src/media.tar.gz"
  fi
else
  : "${DATABASE_URL:?set DATABASE_URL to the postgres:// address of the empty database}"
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname "$DATABASE_URL" "$src/database.dump"
  if [[ -f "$src/media.tar.gz" ]]; then
    media_root="${MEDIA_ROOT:-var/media}"
    mkdir -p "$media_root"
    tar -C "$media_root" -xzf "$src/media.tar.gz"
  fi
fi

echo "restored $src"
