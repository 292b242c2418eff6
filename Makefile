# The two commands: `make run` serves the product, `make test` runs the whole suite.
# Both create (or reuse) the virtualenv, install, and migrate first. Needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint migrate clean

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

# Full suite on PostgreSQL + Redis when reachable (required when REQUIRE_SERVICES=1, as in CI),
# then the service-level tests again on SQLite, the embedded default.
test: lint
	$(BIN)/python -m pytest
	TEST_DATABASE=sqlite $(BIN)/python -m pytest -q -m "not integration and not e2e" -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -q -x -m "not integration and not e2e"

clean:
	rm -rf $(VENV) data .pytest_cache
