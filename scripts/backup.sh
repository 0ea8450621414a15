#!/usr/bin/env bash
# Back up ogp-tracker: the database (pg_dump, custom format) and the uploaded
# media (a tar.gz archive), into a new dated folder with checksums.
#
#   DATABASE_URL=postgres://ogp:secret@127.0.0.1:5432/ogp MEDIA_ROOT=/srv/ogp/media \
#     scripts/backup.sh /srv/backups
#   scripts/backup.sh --compose ./backups     # the docker-compose.yml deployment
#
# The dump is consistent on its own (one snapshot) while the site keeps
# running; media files uploaded during the backup may or may not be in the
# archive. Media in an S3 bucket (MEDIA_STORAGE=s3) is not archived here: use
# the bucket's versioning or replication. Prints the backup folder.
set -euo pipefail

compose=false
if [[ "${1:-}" == "--compose" ]]; then
  compose=true
  shift
fi
dest="${1:-backups}/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest"

if $compose; then
  # pg_dump runs inside the database container, so its version always
  # matches the server's.
  docker compose exec -T db sh -c 'pg_dump --format=custom --no-owner --no-privileges -U "$POSTGRES_USER" "$POSTGRES_DB"' \
    >"$dest/database.dump"
  docker compose exec -T web tar -C /app/var/media -czf - . >"$dest/media.tar.gz"
else
  : "${DATABASE_URL:?set DATABASE_URL to the postgres:// address of the database}"
  pg_dump --format=custom --no-owner --no-privileges --file "$dest/database.dump" \
    --dbname "$DATABASE_URL"
  if [[ "${MEDIA_STORAGE:-local}" == "local" ]]; then
    media_root="${MEDIA_ROOT:-var/media}"
    mkdir -p "$media_root"
    tar -C "$media_root" -czf "$dest/media.tar.gz" .
  fi
fi

(cd "$dest" && sha256sum -- * >SHA256SUMS)
echo "$dest"
