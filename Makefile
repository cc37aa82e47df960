# Two commands do all set-up on a fresh machine:
#   make demo      creates .venv, installs everything, analyses examples/seeds, prints where the report is
#   make test      same set-up if needed, then the fast test run (everything but the tests marked slow)
# and:
#   make test-all  the whole suite, slow tests included (what CI runs)
#   make lint      ruff (lint and format), mypy on the typed core, import-linter's layer contracts
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-all lint serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: this version is a local CPU wheel; any other spec pulls a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	# the int8 ONNX sentence encoder, exported and quantised from the installed MiniLM weights (no download)
	$(BIN)/python -m crosswire.nlp.onnx_build
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/crosswire analyze examples/seeds --out out --db crosswire.db
	@echo "Open out/report.html in a browser, or run: $(BIN)/crosswire serve --db crosswire.db"

test: setup
	$(BIN)/python -m pytest -q -m "not slow"

test-all: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

serve: setup
	$(BIN)/crosswire serve --db crosswire.db

clean:
	rm -rf out crosswire.db crosswire.db-wal crosswire.db-shm
