#!/usr/bin/env bash
# Encrypted PostgreSQL backup: `pg_dump -Fc | gpg --symmetric AES256` into BACKUP_DIR, a SHA-256
# beside it, retention of BACKUP_KEEP_DAYS, and a Prometheus textfile with the time of the last
# success (alert BackupTooOld). Targets: RPO 24 h (nightly), RTO 30 min (scripts/restore.sh).
#
#   scripts/backup.sh            one backup now
#   scripts/backup.sh --daemon   the compose `backup` service: one backup every day at BACKUP_AT (UTC)
#
# Connection: the libpq variables (PGHOST, PGPORT, PGUSER, PGDATABASE; PGPASSWORD or
# PGPASSWORD_FILE). Encryption: BACKUP_PASSPHRASE_FILE (a Docker secret; never on the command line).
set -euo pipefail
# A private, throw-away GnuPG home: no keyring is needed for symmetric encryption, and the agent
# gpg starts for it is stopped on exit (nothing keeps running after the script).
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT

BACKUP_DIR=${BACKUP_DIR:-/backups}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
BACKUP_AT=${BACKUP_AT:-03:15}
BACKUP_PASSPHRASE_FILE=${BACKUP_PASSPHRASE_FILE:-/run/secrets/backup_passphrase}
BACKUP_METRICS_FILE=${BACKUP_METRICS_FILE:-$BACKUP_DIR/metrics/backup.prom}
export PGDATABASE=${PGDATABASE:-assistant}
if [ -z "${PGPASSWORD:-}" ] && [ -n "${PGPASSWORD_FILE:-}" ]; then
  PGPASSWORD=$(cat "$PGPASSWORD_FILE")
  export PGPASSWORD
fi

log() { printf '{"time":"%s","event":"%s"%s}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "${2:+,$2}" >&2; }

write_metrics() {  # $1 = success (1/0)
  mkdir -p "$(dirname "$BACKUP_METRICS_FILE")"
  local tmp="$BACKUP_METRICS_FILE.tmp" last=0
  [ -f "$BACKUP_METRICS_FILE" ] && last=$(awk '/^assistant_backup_last_success_timestamp_seconds /{print $2}' "$BACKUP_METRICS_FILE")
  [ "$1" = 1 ] && last=$(date -u +%s)
  {
    echo "# HELP assistant_backup_last_success_timestamp_seconds Unix time of the last successful encrypted backup"
    echo "# TYPE assistant_backup_last_success_timestamp_seconds gauge"
    echo "assistant_backup_last_success_timestamp_seconds ${last:-0}"
    echo "# HELP assistant_backup_last_run_success 1 if the last backup run succeeded"
    echo "# TYPE assistant_backup_last_run_success gauge"
    echo "assistant_backup_last_run_success $1"
  } > "$tmp"
  mv "$tmp" "$BACKUP_METRICS_FILE"
}

backup_once() {
  [ -r "$BACKUP_PASSPHRASE_FILE" ] || { log backup.failed '"reason":"passphrase file missing"'; return 1; }
  mkdir -p "$BACKUP_DIR"
  local stamp out partial
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  out="$BACKUP_DIR/$PGDATABASE-$stamp.dump.gpg"
  partial="$out.partial"
  # pipefail: a failing pg_dump fails the backup even though gpg succeeded on what it got.
  if ! pg_dump --format=custom --compress=6 --no-password | \
       gpg --batch --yes --quiet --pinentry-mode loopback --symmetric --cipher-algo AES256 \
           --passphrase-file "$BACKUP_PASSPHRASE_FILE" --output "$partial"; then
    rm -f "$partial"
    log backup.failed "\"database\":\"$PGDATABASE\""
    return 1
  fi
  mv "$partial" "$out"
  (cd "$BACKUP_DIR" && sha256sum "$(basename "$out")" > "$(basename "$out").sha256")
  # Retention: older encrypted dumps (and their checksums) go; never the one just written.
  find "$BACKUP_DIR" -maxdepth 1 -type f \( -name "$PGDATABASE-*.dump.gpg" -o -name "$PGDATABASE-*.dump.gpg.sha256" \) \
       -mtime +"$BACKUP_KEEP_DAYS" ! -name "$(basename "$out")*" -delete
  log backup.done "\"file\":\"$(basename "$out")\",\"bytes\":$(stat -c %s "$out")"
  echo "$out"
}

seconds_until() {  # next HH:MM UTC
  local now target
  now=$(date -u +%s)
  target=$(date -u -d "today $1" +%s)
  [ "$target" -le "$now" ] && target=$(date -u -d "tomorrow $1" +%s)
  echo $((target - now))
}

if [ "${1:-}" = "--daemon" ]; then
  log backup.daemon "\"at\":\"$BACKUP_AT\",\"keep_days\":$BACKUP_KEEP_DAYS"
  while true; do
    sleep "$(seconds_until "$BACKUP_AT")"
    if backup_once >/dev/null; then write_metrics 1; else write_metrics 0; fi
  done
fi
if backup_once; then write_metrics 1; else write_metrics 0; exit 1; fi
