# Salon Desk developer tasks. `make test` is what CI runs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=
PYTEST_ARGS ?=

.PHONY: run test translations bench wheel venv install system-deps

# pip appears only when `python -m venv` succeeded; a half-made venv is removed.
$(BIN)/pip:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

venv: $(BIN)/pip

install: venv
	$(BIN)/pip install -q -e .

system-deps:
	PYTHON=$(PYTHON) bash scripts/install-system-deps.sh

run: install
	$(BIN)/salon-desk $(ARGS)

test: system-deps venv
	$(BIN)/pip install -q -e '.[test]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

translations: install
	$(BIN)/pybabel extract -F babel.cfg -o translations/salon_desk.pot src
	$(BIN)/pybabel update -i translations/salon_desk.pot -d translations -D salon_desk
	$(BIN)/pybabel compile -d translations -D salon_desk

bench: install
	$(BIN)/python -m benchmarks

wheel: venv
	$(BIN)/pip install -q build
	$(BIN)/python -m build --wheel
