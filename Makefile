# One task runner for developers and CI. Needs only python3 (3.11), pip, npm, make.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin
PYTEST := $(BIN)/python -m pytest

.PHONY: install demo test test-fast test-browser test-postgres check fix bench serve clean

# --- set-up ---------------------------------------------------------------
$(BIN)/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.installed node_modules/.installed

# --- the two README commands ------------------------------------------------
demo: install
	$(BIN)/msknet demo

test: install
	$(BIN)/ruff check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy
	$(PYTEST) -n 2 --dist loadgroup $(PYTEST_ARGS)

# --- more recipes -----------------------------------------------------------
test-fast: install
	$(PYTEST) -n 2 -m "not slow and not browser" $(PYTEST_ARGS)

test-browser: install
	$(PYTEST) -m browser $(PYTEST_ARGS)

# The suite against PostgreSQL: DATABASE_URL must name a server we can create
# test databases on (.ci/run sets it up).
test-postgres: install
	$(PYTEST) -n 2 --dist loadgroup -m "not browser and not server" --ignore=tests/analytics $(PYTEST_ARGS)

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check msknet/analytics
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(UV) lock --check
	$(BIN)/mypy

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format msknet/analytics

bench: install
	$(BIN)/python benchmarks/run_all.py

serve: install
	$(BIN)/msknet serve

clean:
	rm -rf $(VENV) node_modules staticfiles var/demo.sqlite3
