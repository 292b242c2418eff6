#!/usr/bin/env bash
# What the image does, without Docker: build the wheel from a clean copy of the sources, install
# it WITHOUT extras into a fresh virtualenv (dependencies borrowed from .venv, so nothing is
# downloaded), then, from an unrelated directory: pip check, `assistant migrate` and
# `assistant serve` answering /health, /ready and a dashboard page (templates and migrations
# must be inside the wheel).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV_PY="$PWD/.venv/bin/python"
work=$(mktemp -d)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/src"
cp pyproject.toml README.md "$work/src/"
cp -r src "$work/src/src"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
"$VENV_PY" -m pip wheel -q --no-deps --wheel-dir "$work/wheels" "$work/src" >/dev/null
wheel=$(ls "$work"/wheels/personal_assistant-*.whl)
for needed in personal_assistant/migrations/env.py personal_assistant/migrations/versions/ \
              personal_assistant/dashboard/templates/ personal_assistant/dashboard/static/; do
  "$VENV_PY" -c "import sys, zipfile; names = zipfile.ZipFile(sys.argv[1]).namelist(); \
sys.exit(0 if any(n.startswith(sys.argv[2]) for n in names) else 'wheel lacks ' + sys.argv[2])" "$wheel" "$needed"
done
python3 -m venv "$work/venv"
site=$("$VENV_PY" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
target=$("$work/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$site" > "$target/_dependencies_from_dot_venv.pth"
"$work/venv/bin/python" -m pip install -q --no-deps --no-index "$wheel"
"$work/venv/bin/python" -m pip check
cd /
where=$("$work/venv/bin/python" -c "import personal_assistant; print(personal_assistant.__file__)")
case "$where" in "$work/venv/"*) ;; *) echo "personal_assistant imported from $where, not the wheel"; exit 1;; esac
export DATABASE_URL="sqlite+aiosqlite:///$work/assistant.db" SCHEDULER_ENABLED=false LOG_LEVEL=WARNING
unset REDIS_URL PROMETHEUS_MULTIPROC_DIR
"$work/venv/bin/assistant" migrate
port=$("$VENV_PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$work/venv/bin/assistant" serve --no-migrate --port "$port" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 150); do
  if "$VENV_PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" "http://127.0.0.1:$port/health" 2>/dev/null; then break; fi
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
for path in /health /ready /login; do
  "$VENV_PY" -c "import sys, urllib.request; r = urllib.request.urlopen(sys.argv[1], timeout=5); sys.exit(0 if r.status == 200 else 1)" \
    "http://127.0.0.1:$port$path" || { echo "GET $path failed"; cat "$work/serve.log"; exit 1; }
done
echo "wheel: $(basename "$wheel") installs without extras, migrates and serves from /"
