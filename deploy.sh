#!/usr/bin/env bash
# Deploy the assistant with Docker Compose.
#
#   ./deploy.sh dev|stage|prod [--dry-run] [--pull] [--tag TAG] [--timeout SECONDS]
#
# stage/prod, in order:
#   1. preflight: docker compose present, the compose file valid, every secret file present and
#      non-empty (Twilio required in prod), PUBLIC_BASE_URL https and public;
#   2. build the images (or --pull them: ASSISTANT_IMAGE names your registry, --tag the version);
#   3. PostgreSQL and Redis up and healthy;
#   4. the one-shot `migrate` service (never migrations in every replica), then the read-only
#      Grafana role's grants (docker/postgres/grafana_reader.sql);
#   5. rolling restart of api, then worker: one new container is started beside the old ones, must
#      turn healthy within --timeout (else it is removed, the old ones keep serving, exit 1), then
#      one old container is stopped (SIGTERM; workers finish their task) and nginx re-resolves;
#   6. beat is recreated (exactly one), the rest of the stack brought up, a final /ready check.
# --dry-run prints that plan (every command) and runs only the preflight.
set -euo pipefail
cd "$(dirname "$0")"

usage() { echo "usage: $0 dev|stage|prod [--dry-run] [--pull] [--tag TAG] [--timeout SECONDS]" >&2; exit 2; }
[ $# -ge 1 ] || usage
target=$1
shift
dry_run=0 pull=0 timeout=180
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --pull) pull=1 ;;
    --tag) [ $# -ge 2 ] || usage; export ASSISTANT_TAG=$2; shift ;;
    --timeout) [ $# -ge 2 ] || usage; timeout=$2; shift ;;
    *) usage ;;
  esac
  shift
done
case "$target" in
  dev) file=docker-compose.dev.yml ;;
  stage) file=docker-compose.stage.yml ;;
  prod) file=docker-compose.prod.yml ;;
  *) usage ;;
esac
SECRETS_DIR=${SECRETS_DIR:-./secrets}
compose=(docker compose -f "$file")
problems=()

say() { printf '== %s\n' "$*"; }
run() {  # print the command; execute it unless --dry-run
  printf '+ %s\n' "$*"
  [ "$dry_run" = 1 ] || "$@"
}

# --- 1. preflight -------------------------------------------------------------------------------
say "preflight ($target, $file)"
if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi
if ! docker compose version >/dev/null 2>&1; then
  if [ "$dry_run" = 1 ]; then echo "note: docker compose is not available here (dry run continues)"
  else problems+=("docker compose is not installed or the daemon is not reachable"); fi
fi
validator=""
for candidate in .venv/bin/check-jsonschema "$(command -v check-jsonschema || true)"; do
  [ -n "$candidate" ] && [ -x "$candidate" ] && validator=$candidate && break
done
if [ -n "$validator" ]; then
  "$validator" --builtin-schema vendor.compose-spec "$file" >/dev/null || problems+=("$file is not a valid compose file")
elif docker compose version >/dev/null 2>&1; then
  "${compose[@]}" config -q || problems+=("$file is not a valid compose file")
fi

if [ "$target" != dev ]; then
  required=(database_url redis_url secret_key encryption_keys metrics_token postgres_password redis_password
            redis_exporter_passwords backup_passphrase grafana_admin_password grafana_db_password
            tls/fullchain.pem tls/privkey.pem)
  optional=(gemini_api_key smtp_password)
  if [ "$target" = prod ]; then required+=(twilio_account_sid twilio_auth_token)
  else optional+=(twilio_account_sid twilio_auth_token); fi
  for name in "${required[@]}"; do
    [ -s "$SECRETS_DIR/$name" ] || problems+=("secret $SECRETS_DIR/$name is missing or empty (see secrets/README.md)")
  done
  for name in "${optional[@]}"; do  # must exist for compose; may be empty (feature off)
    [ -e "$SECRETS_DIR/$name" ] || problems+=("secret $SECRETS_DIR/$name is missing (create it empty to switch the feature off)")
  done
  for name in "${required[@]}" "${optional[@]}"; do
    if [ -e "$SECRETS_DIR/$name" ] && [ -n "$(find "$SECRETS_DIR/$name" -perm /o=r 2>/dev/null)" ]; then
      problems+=("secret $SECRETS_DIR/$name is readable by everyone (chmod 600)")
    fi
  done
  if [ -s "$SECRETS_DIR/database_url" ] && [ -s "$SECRETS_DIR/postgres_password" ] &&
     ! grep -qF ":$(cat "$SECRETS_DIR/postgres_password")@" "$SECRETS_DIR/database_url"; then
    problems+=("secrets/database_url does not carry secrets/postgres_password")
  fi
  if [ -s "$SECRETS_DIR/redis_url" ] && [ -s "$SECRETS_DIR/redis_password" ] &&
     ! grep -qF ":$(cat "$SECRETS_DIR/redis_password")@" "$SECRETS_DIR/redis_url"; then
    problems+=("secrets/redis_url does not carry secrets/redis_password")
  fi
  url=${PUBLIC_BASE_URL:-}
  host=$(printf '%s' "$url" | sed -E 's#^https://([^/:]+).*#\1#')
  if [[ "$url" != https://* ]] || [[ "$host" =~ ^(localhost|127\.|0\.0\.0\.0|\[::1\]) ]] || [[ "$host" == *.localhost ]]; then
    problems+=("PUBLIC_BASE_URL must be the public https URL Twilio calls (in .env or the environment), not '$url'")
  fi
fi
if [ ${#problems[@]} -gt 0 ]; then
  printf 'preflight failed:\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "preflight ok"

if [ "$target" = dev ]; then
  say "development stack"
  run "${compose[@]}" up -d --build
  exit 0
fi

# --- helpers for the rolling restart ------------------------------------------------------------
containers() { "${compose[@]}" ps -q "$1" 2>/dev/null | sort; }
health() { docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1"; }

wait_healthy() {  # container id
  if [ "$dry_run" = 1 ]; then printf '+ wait until the new container reports healthy (at most %ss)\n' "$timeout"; return 0; fi
  local deadline=$(( $(date +%s) + timeout )) state
  while [ "$(date +%s)" -lt "$deadline" ]; do
    state=$(health "$1")
    case "$state" in
      healthy) return 0 ;;
      unhealthy|exited|dead) break ;;
    esac
    sleep 2
  done
  echo "container $1 did not become healthy (state: ${state:-unknown})" >&2
  docker logs --tail 50 "$1" >&2 || true
  return 1
}

roll() {  # service, replicas wanted
  local service=$1 replicas=$2 old new fresh
  say "rolling restart of $service ($replicas)"
  if [ "$dry_run" = 1 ]; then
    for i in $(seq 1 "$replicas"); do
      run "${compose[@]}" up -d --no-deps --no-recreate --scale "$service=$((replicas + 1))" "$service"
      wait_healthy new
      run docker stop --time 60 "<old $service container $i>"
      run docker rm "<old $service container $i>"
      [ "$service" = api ] && run "${compose[@]}" exec -T nginx nginx -s reload
    done
    return 0
  fi
  old=$(containers "$service")
  if [ -z "$old" ]; then
    run "${compose[@]}" up -d --no-deps "$service"
    for new in $(containers "$service"); do wait_healthy "$new"; done
    return 0
  fi
  for stale in $old; do
    local before
    before=$(containers "$service")
    run "${compose[@]}" up -d --no-deps --no-recreate --scale "$service=$(( $(echo "$before" | wc -l) + 1 ))" "$service"
    fresh=$(comm -13 <(echo "$before") <(containers "$service"))
    [ -n "$fresh" ] || { echo "no new $service container was started" >&2; exit 1; }
    if ! wait_healthy "$fresh"; then
      run docker rm -f "$fresh"
      echo "deploy stopped: the old $service containers keep serving" >&2
      exit 1
    fi
    run docker stop --time 60 "$stale"
    run docker rm "$stale"
    if [ "$service" = api ]; then run "${compose[@]}" exec -T nginx nginx -s reload || true; fi
  done
}

replicas_of() {  # the deploy.replicas of a service in the compose file
  awk -v svc="  $1:" '$0 == svc {inside=1; next} inside && /^  [a-z]/ {inside=0} inside && /replicas:/ {print $2; exit}' "$file"
}

# --- 2. images ----------------------------------------------------------------------------------
say "images (tag ${ASSISTANT_TAG:-latest})"
if [ "$pull" = 1 ]; then
  run "${compose[@]}" pull migrate api worker beat backup
else
  run "${compose[@]}" build migrate backup
fi

# --- 3. data stores -----------------------------------------------------------------------------
say "PostgreSQL and Redis"
run "${compose[@]}" up -d --wait postgres redis

# --- 4. migrations ------------------------------------------------------------------------------
say "migrations (one-shot)"
run "${compose[@]}" run --rm migrate
say "read-only Grafana role"
if [ "$dry_run" = 1 ]; then
  printf '+ %s < docker/postgres/grafana_reader.sql\n' "${compose[*]} exec -T postgres psql -U assistant -d assistant -v ON_ERROR_STOP=1 -v reader_role=grafana_reader"
else
  { printf '\\set reader_password %s\n' "'$(sed "s/'/''/g" "$SECRETS_DIR/grafana_db_password")'"; cat docker/postgres/grafana_reader.sql; } |
    "${compose[@]}" exec -T postgres psql -q -U assistant -d assistant -v ON_ERROR_STOP=1 -v reader_role=grafana_reader
fi

# --- 5. rolling restart -------------------------------------------------------------------------
run "${compose[@]}" up -d --no-recreate nginx
roll api "$(replicas_of api)"
roll worker "$(replicas_of worker)"

# --- 6. the rest ----------------------------------------------------------------------------------
say "beat (exactly one) and the rest of the stack"
run "${compose[@]}" up -d --no-deps --force-recreate beat
run "${compose[@]}" up -d --no-recreate backup prometheus grafana jaeger loki alloy postgres-exporter redis-exporter node-exporter
say "final check"
run "${compose[@]}" exec -T api python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=5)"
say "deployed $target"
