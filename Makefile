# The README's two commands: `make demo` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell command -v python3.12 || command -v python3)
# Bytecode is cached in one folder outside the source tree (no __pycache__ beside
# the code). Without a cache every test process compiled every module it imported
# anew: about 9 CPU-seconds per pytest worker just to collect the tests.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/pycache

.PHONY: demo test check install lint imports typecheck pytest pytest-fast bench screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the locked versions; re-runs when the lock or pyproject changes.
$(VENV)/.installed: $(BIN)/activate pyproject.toml requirements/lock.txt
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements/lock.txt || $(BIN)/python -m pip install -q -r requirements/lock.txt
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e . || $(BIN)/python -m pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/imvo demo --port $(PORT)

lint: install
	$(BIN)/ruff check src benchmarks
	$(BIN)/ruff format --check src benchmarks

# The import contracts in pyproject.toml: the floors of the house (docs/development.md).
imports: install
	$(BIN)/lint-imports

# Strict mypy over the code and its tests (relaxations are listed in pyproject.toml).
typecheck: install
	IMVO_TESTING=1 $(BIN)/mypy src/imvo

pytest: install
	bash scripts/ensure-system-deps.sh
	IMVO_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The fast tests: everything but the real browser, the real worker and slow tests.
pytest-fast: install
	IMVO_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile -m "not browser and not worker and not slow" \
		--durations=15 $(PYTEST_ARGS)

# For every commit (under 3 minutes): lint, import contracts, types, fast tests.
check: lint imports typecheck pytest-fast

# Lint, import contracts, type check and the whole test suite.
# DATABASE_URL=postgres://... runs it on PostgreSQL.
test: lint imports typecheck pytest

bench: install
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

screenshots: install
	bash scripts/ensure-system-deps.sh
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
