# Two commands for newcomers: `make run` and `make test`. Everything they need
# (OS packages, the venv, Python packages, the OpenSearch classpath) is
# installed by the targets below on a fresh Debian machine.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test setup os-packages stack-up stack-down lint unit

run: setup
	$(BIN)/souq run

# Lint and types first: they take seconds and need no services.
test: lint
	$(BIN)/souq stack up
	$(BIN)/pytest

unit: setup
	$(BIN)/pytest tests/unit

setup: os-packages $(VENV)/.installed

os-packages:
	bash devstack/bootstrap.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

stack-up: setup
	$(BIN)/souq stack up

stack-down:
	$(BIN)/souq stack down

# The same three checks the pre-commit hooks run (configured in pyproject.toml).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
