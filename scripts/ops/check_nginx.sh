#!/usr/bin/env bash
# nginx -t on nginx/ exactly as the container mounts it (/etc/nginx), with the compose service
# names resolvable: a private mount namespace bind-mounts the config, a throw-away certificate and
# a hosts file, so nothing on this machine changes. Needs root (CI and the dev machines run as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/etc" "$work/tls"
cp -r nginx/. "$work/etc/"
cp /etc/nginx/mime.types "$work/etc/mime.types"
mkdir -p "$work/etc/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=ops-check" \
  -keyout "$work/etc/tls/privkey.pem" -out "$work/etc/tls/fullchain.pem" 2>/dev/null
# Every upstream host named in the config, resolved to loopback for the check.
{ echo "127.0.0.1 localhost"; grep -rhoE 'server +[a-z][a-z0-9_-]*:[0-9]+' nginx | awk '{split($2,a,":"); print "127.0.0.1 " a[1]}' | sort -u; } > "$work/hosts"
unshare -m bash -c "mount --bind '$work/etc' /etc/nginx && mount --bind '$work/hosts' /etc/hosts && nginx -t -q -c /etc/nginx/nginx.conf"
echo "nginx -t: nginx/nginx.conf OK ($(nginx -v 2>&1))"
