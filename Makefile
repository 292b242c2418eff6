# The two commands: `make run` serves the product, `make test` runs the whole suite.
# Both create (or reuse) the virtualenv, install, and migrate first. Needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint migrate clean ops-check browser-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

migrate: install
	$(BIN)/assistant migrate

run: migrate
	$(BIN)/assistant serve --no-migrate --host $(HOST) --port $(PORT)

# ruff and mypy both gate `make test` (and CI). `ruff format --check` joins them once the tree has
# been formatted in one commit.
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

# What the browser test injects into pages (axe-core, pinned in tests/e2e/package-lock.json),
# from the npm registry into tests/e2e/node_modules. Without npm the browser test is skipped,
# or fails when REQUIRE_SERVICES=1 (CI).
AXE := tests/e2e/node_modules/axe-core/axe.min.js

$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "npm is required for the browser test's accessibility scan (apt-get install npm)"; exit 1; \
	else \
		echo "npm not found: the browser test will be skipped"; \
	fi

browser-deps: $(AXE)

# Full suite on PostgreSQL + Redis when reachable (required when REQUIRE_SERVICES=1, as in CI),
# then the service-level tests again on SQLite, the embedded default.
test: lint browser-deps
	$(BIN)/python -m pytest
	TEST_DATABASE=sqlite $(BIN)/python -m pytest -q -m "not integration and not e2e" -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -q -x -m "not integration and not e2e"

# Deployment files checked by the tools that read them (compose schema, hadolint, yamllint,
# shellcheck, nginx -t, promtool, the wheel, Grafana against a running app, backups, deploy.sh).
# Installs the validators of the `ops` extra; needs Debian's nginx, prometheus and shellcheck.
OPS_STAMP := $(VENV)/.ops-$(shell cksum pyproject.toml | cut -d' ' -f1)

$(OPS_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e ".[test,ops]"
	@rm -f $(VENV)/.ops-*
	@touch $@

ops-check: $(OPS_STAMP)
	scripts/ops/check.sh

clean:
	rm -rf $(VENV) data .pytest_cache
