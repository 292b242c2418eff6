# The two commands: `make run` serves the product, `make test` runs the whole suite.
# Both create (or reuse) the virtualenv, install, and migrate first. Needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint migrate clean ops-check browser-deps api-clients

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

# The client generators the API contract test runs against /openapi.json (tests/api_clients):
# openapi-typescript + typescript from npm (pinned in tests/api_clients/package-lock.json), and
# openapi-python-client in its own virtualenv (it pins typer below the app's). Without npm the
# TypeScript test is skipped, or fails when REQUIRE_SERVICES=1 (CI), as for the browser test.
TS_CLIENT := tests/api_clients/node_modules/.bin/openapi-typescript
PY_CLIENT := .venv-clients/bin/openapi-python-client

$(TS_CLIENT): tests/api_clients/package.json tests/api_clients/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/api_clients --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "npm is required for the generated TypeScript client test (apt-get install npm)"; exit 1; \
	else \
		echo "npm not found: the TypeScript client test will be skipped"; \
	fi

$(PY_CLIENT): tests/api_clients/requirements.txt
	@test -x .venv-clients/bin/python || $(PYTHON) -m venv .venv-clients
	.venv-clients/bin/python -m pip install -q -r tests/api_clients/requirements.txt
	@touch $@

api-clients: $(TS_CLIENT) $(PY_CLIENT)

# Full suite on PostgreSQL + Redis when reachable (required when REQUIRE_SERVICES=1, as in CI),
# then the service-level tests again on SQLite, the embedded default.
test: lint browser-deps api-clients
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
	rm -rf $(VENV) .venv-clients data .pytest_cache
