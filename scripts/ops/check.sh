#!/usr/bin/env bash
# `make ops-check`: every deployment file checked by the tool that reads it (or its schema), as CI
# runs it. Needs .venv with the `ops` extra (the Makefile installs it) and Debian's nginx,
# prometheus (promtool) and shellcheck (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
step() { printf '\n== %s\n' "$*"; }
need() { command -v "$1" >/dev/null || { echo "$1 is required: apt-get install $2" >&2; exit 1; }; }
need nginx nginx
need promtool prometheus
need shellcheck shellcheck

step "compose files (check-jsonschema --builtin-schema vendor.compose-spec)"
"$BIN/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.*.yml

step "Dockerfiles (hadolint)"
"$BIN/hadolint" docker/Dockerfile docker/backup.Dockerfile && echo "hadolint: ok"

step "YAML (yamllint)"
"$BIN/yamllint" -c .yamllint.yml docker-compose.*.yml prometheus grafana .yamllint.yml && echo "yamllint: ok"

step "shell scripts (shellcheck)"
shellcheck deploy.sh scripts/backup.sh scripts/restore.sh scripts/ops/*.sh && echo "shellcheck: ok"

step "nginx -t"
scripts/ops/check_nginx.sh

step "Prometheus (promtool check config / check rules / test rules)"
# The scrape config names the metrics token as a Docker secret file: give promtool one, in a
# private mount namespace, so nothing is written under /run on this machine.
unshare -m bash -c 'mount -t tmpfs tmpfs /run && mkdir /run/secrets && echo check > /run/secrets/metrics_token &&
  promtool check config prometheus/prometheus.yml'
promtool check rules prometheus/rules/*.yml
(cd prometheus && promtool test rules tests/*.yml)

step "the wheel, installed without extras, migrates and serves from another directory"
scripts/ops/check_wheel.sh

step "Grafana dashboards against a running app, alert coverage, backups, deploy plan, dev reload (pytest)"
"$BIN/python" -m pytest -q -p no:cacheprovider tests/ops
