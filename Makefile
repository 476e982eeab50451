# Two commands for a new user (see README.md):
#   make run   - install, load the real example data into the embedded store, serve it
#   make test  - install with dev tools, run lint, types, generated-file check and the tests

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STORE ?= data/store
HOST ?= 127.0.0.1
PORT ?= 8000
BASE_IRI ?= http://$(HOST):$(PORT)/
SHARED_TEMPLATE := ../shared/data/ssbd/templates/20-Azuma-WormMembrane.xlsx

.PHONY: run test install install-dev generate check-generated lint typecheck pytest demo-data bench clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

demo-data: install
	$(VENV)/bin/kg-service load --store $(STORE) --base-iri $(BASE_IRI) examples/ssbd/SSBD_all_instances.ttl
	@if [ -f "$(SHARED_TEMPLATE)" ]; then \
		$(VENV)/bin/kg-service load --store $(STORE) --base-iri $(BASE_IRI) "$(SHARED_TEMPLATE)"; \
	else echo "(../shared not present: the SSBD template example is skipped)"; fi

run: demo-data
	$(VENV)/bin/kg-service serve --store $(STORE) --base-iri $(BASE_IRI) --host $(HOST) --port $(PORT)

generate: install-dev
	$(PY) -m kg_service.generate

check-generated: install-dev
	$(PY) -m kg_service.generate --check

lint: install-dev
	$(VENV)/bin/ruff check src tests $(wildcard bench)
	$(VENV)/bin/ruff format --check src tests $(wildcard bench)

typecheck: install-dev
	$(VENV)/bin/mypy

pytest: install-dev
	$(PY) -m pytest -q

test: lint typecheck check-generated pytest

bench: install-dev
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) data build dist src/*.egg-info
