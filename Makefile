# newsgraph: `make demo` and `make test` are all a new user needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= newsgraph-demo.duckdb

.PHONY: install demo test lint bench clean

install: $(STAMP)
	command -v chromium >/dev/null || { SUDO=$$([ "$$(id -u)" -eq 0 ] || command -v sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/newsgraph demo --db $(DEMO_DB)
	$(BIN)/newsgraph serve --db $(DEMO_DB)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB) $(DEMO_DB).wal
