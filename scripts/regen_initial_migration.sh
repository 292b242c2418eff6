#!/usr/bin/env bash
# Only while nothing is deployed: regenerate 0001_initial from the models.
# Once a release exists, schema changes go into new migrations instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/0001_initial.py
DATABASE_URL="sqlite+aiosqlite:///$tmp/empty.db" .venv/bin/alembic revision --autogenerate \
  --rev-id 0001 -m initial >/dev/null
.venv/bin/ruff format -q migrations/versions/0001_initial.py
.venv/bin/ruff check -q --fix migrations/versions/0001_initial.py
rm -rf "$tmp"
echo "regenerated migrations/versions/0001_initial.py"
