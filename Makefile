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
SHARED := ../shared/data
SHARED_TEMPLATE := $(SHARED)/ssbd/templates/20-Azuma-WormMembrane.xlsx

EDITOR := @zazuko/yasgui@4.6.2
VENDOR := src/kg_service/web/static/vendor

.PHONY: run test install install-dev generate check-generated lint typecheck pytest demo-data bench clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Virtuoso for the store contract tests (Debian package; needs root and apt-get)
	@command -v virtuoso-t >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
		else echo "note: Virtuoso is not installed; its contract tests will be skipped"; fi; }
	@# Java for `kg-service ontology check` (owlready2's bundled HermiT)
	@command -v java >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else echo "note: Java is missing; the ontology check test will fail"; fi; }
	touch $@

# issue 17: the SPARQL editor on /query (YASGUI, MIT licence), bundled from the npm registry at
# install time and served by the service itself (git-ignored; /query keeps its plain form without it)
$(VENDOR)/yasgui.min.js:
	@if command -v npm >/dev/null; then \
		mkdir -p .cache/node $(VENDOR) && \
		npm install --silent --no-audit --no-fund --prefix .cache/node $(EDITOR) && \
		cp .cache/node/node_modules/@zazuko/yasgui/build/yasgui.min.css $(VENDOR)/ && \
		cp .cache/node/node_modules/@zazuko/yasgui/build/yasgui.min.js $(VENDOR)/; \
	else echo "note: npm is missing; /query keeps its plain form (no YASGUI editor)"; fi

install: $(VENV)/.runtime $(VENDOR)/yasgui.min.js
install-dev: $(VENV)/.dev $(VENDOR)/yasgui.min.js
	@# Comunica 4 (Node 20) for the SPARQL federation test, in a git-ignored repo-local folder
	@test -x .cache/node/node_modules/.bin/comunica-sparql || { mkdir -p .cache/node && \
		npm install --silent --no-audit --no-fund --prefix .cache/node @comunica/query-sparql@4; }
	@# issue 9: Debian's Chromium for the Playwright browser tests, axe-core for their a11y check
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else echo "note: /usr/bin/chromium is missing; the browser tests will be skipped"; fi; }
	@test -f .cache/node/node_modules/axe-core/axe.min.js || { mkdir -p .cache/node && \
		npm install --silent --no-audit --no-fund --prefix .cache/node axe-core@4; }

# issue 16: the shared peer corpus (IDR, BIA, SSBD, GIDE), when ../shared is present, in
# layers: each `load` stores its files all or nothing, and a later layer replaces the
# projects an earlier one also had (RO-Crate summaries < richer study files < curated
# overrides < the shipped examples). Files that hold no record (schemas, contexts,
# templates, bd5lint's broken fixtures) are not passed; tests/test_corpus.py loads each
# file on its own and checks which are stored and why the others are refused.
P := $(SHARED)/peers
CORPUS_CATALOGUE := $(P)/idr/rdf/idr-studies.ttl $(P)/gide/examples/ssbd-repos-000490-ro-crate-metadata.OLD.json \
	$(P)/bia/semantic-model/S-BIAD1492/input-pagetab.json
CORPUS_CRATES = $(wildcard $(P)/bia/ro-crates/*.json $(P)/idr/ro-crates/*.json \
	$(P)/ssbd-ro-crates/*/*.json) $(P)/gide/examples/EXAMPLE-001-ro-crate-metadata.json
CORPUS_STUDIES = $(filter-out %curated-override.json,$(wildcard $(P)/bia/pagetab/*.json)) \
	$(P)/bia/semantic-model/S-BIAD1492/study.json $(P)/bia/website-export/bia-study-metadata.json \
	$(wildcard $(P)/idr/study/*.txt $(P)/idr/annotations/*.csv $(P)/ome/*) \
	$(P)/gide/examples/example_search_entry.json $(SHARED)/ssbd/bdml/140911_DiR_x1_worm1_bdml3.0.xml \
	$(filter-out %081505_L1_bd5.h5,$(wildcard $(SHARED)/ssbd/bd5/*.h5 $(SHARED)/ssbd/bd5/samples/*.h5))
CORPUS_OVERRIDES = $(P)/bia/pagetab/S-BIAD1135.curated-override.json
LOAD = $(VENV)/bin/kg-service load --store $(STORE) --base-iri $(BASE_IRI)

demo-data: install
	@if [ -d "$(P)" ]; then \
		$(LOAD) $(CORPUS_CATALOGUE) >/dev/null && \
		$(LOAD) $(CORPUS_CRATES) >/dev/null && \
		$(LOAD) $(CORPUS_STUDIES) >/dev/null && \
		$(LOAD) $(CORPUS_OVERRIDES) >/dev/null && \
		echo "loaded the shared peer corpus (IDR, BIA, SSBD, GIDE)"; \
	else echo "(../shared not present: the peer corpus is skipped)"; fi
	$(LOAD) examples/ssbd/SSBD_all_instances.ttl
	$(LOAD) examples/bd5/081505_L1_bd5.ttl
	@if [ -f "$(SHARED_TEMPLATE)" ]; then \
		$(LOAD) "$(SHARED_TEMPLATE)"; \
	else echo "(../shared not present: the SSBD template example is skipped)"; fi
	$(VENV)/bin/kg-service terms load --store $(STORE) --base-iri $(BASE_IRI) --only ncbitaxon fbbi licenses cmpo

run: demo-data
	$(VENV)/bin/kg-service serve --store $(STORE) --base-iri $(BASE_IRI) --host $(HOST) --port $(PORT)

generate: install-dev
	$(PY) -m kg_service.generate

check-generated: install-dev
	$(PY) -m kg_service.generate --check

lint: install-dev
	$(VENV)/bin/ruff check src tests $(wildcard bench)
	$(VENV)/bin/ruff format --check src tests $(wildcard bench)
	$(VENV)/bin/lint-imports

typecheck: install-dev
	$(VENV)/bin/mypy

pytest: install-dev
	$(PY) -m pytest -q

test: lint typecheck check-generated pytest

bench: install-dev
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) data build dist src/*.egg-info
