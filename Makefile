# Two commands: `make run` serves the graph built from graph_data/, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck pytest build clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The SPARQL query page's YASGUI, installed from the npm registry (served locally, no CDN).
WEB := service/lexgraph/api/web
YASGUI := $(WEB)/node_modules/.installed

$(YASGUI): $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --ignore-scripts
	touch $(YASGUI)

build: $(STAMP)
	$(BIN)/lexgraph build --if-needed

run: build $(YASGUI)
	$(BIN)/lexgraph serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(YASGUI)
	$(BIN)/python -m pytest

test: lint typecheck pytest

clean:
	rm -rf graph_data/build
