#!/usr/bin/env bash
# Restore an encrypted backup from scripts/backup.sh into a database.
#
#   scripts/restore.sh BACKUP.dump.gpg TARGET_DB [--create] [--force]
#
# The checksum beside the file is verified first; the dump is decrypted to a pipe (never to disk)
# and restored in ONE transaction (--single-transaction --exit-on-error): a failure leaves the
# target as it was. TARGET_DB must be empty unless --force; --create creates it first.
# Connection: libpq variables (PGHOST, PGPORT, PGUSER; PGPASSWORD or PGPASSWORD_FILE).
# Passphrase: BACKUP_PASSPHRASE_FILE (default /run/secrets/backup_passphrase).
set -euo pipefail
# A private, throw-away GnuPG home: no keyring is needed for symmetric encryption, and the agent
# gpg starts for it is stopped on exit (nothing keeps running after the script).
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT

usage() { echo "usage: $0 BACKUP.dump.gpg TARGET_DB [--create] [--force]" >&2; exit 2; }
[ $# -ge 2 ] || usage
file=$1 target=$2
shift 2
create=0 force=0
for arg in "$@"; do
  case "$arg" in
    --create) create=1 ;;
    --force) force=1 ;;
    *) usage ;;
  esac
done
BACKUP_PASSPHRASE_FILE=${BACKUP_PASSPHRASE_FILE:-/run/secrets/backup_passphrase}
if [ -z "${PGPASSWORD:-}" ] && [ -n "${PGPASSWORD_FILE:-}" ]; then
  PGPASSWORD=$(cat "$PGPASSWORD_FILE")
  export PGPASSWORD
fi
[ -r "$file" ] || { echo "no backup file $file" >&2; exit 1; }
[ -r "$BACKUP_PASSPHRASE_FILE" ] || { echo "no passphrase file $BACKUP_PASSPHRASE_FILE" >&2; exit 1; }
[[ "$target" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "target database name must be a plain identifier" >&2; exit 2; }

if [ -f "$file.sha256" ]; then
  (cd "$(dirname "$file")" && sha256sum --check --quiet "$(basename "$file").sha256") \
    || { echo "checksum mismatch: $file is damaged" >&2; exit 1; }
fi

exists=$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$target'")
if [ "$exists" != 1 ]; then
  [ "$create" = 1 ] || { echo "database $target does not exist (use --create)" >&2; exit 1; }
  createdb "$target"
fi
tables=$(psql -d "$target" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ] && [ "$force" != 1 ]; then
  echo "database $target already has $tables tables; restore into an empty database (or --force)" >&2
  exit 1
fi

started=$(date +%s)
gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$BACKUP_PASSPHRASE_FILE" --decrypt "$file" | \
  pg_restore --dbname="$target" --no-owner --no-acl --single-transaction --exit-on-error
echo "restored $(basename "$file") into $target in $(( $(date +%s) - started )) s" >&2
