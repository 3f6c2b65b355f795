# make build : create .venv with pinned dependencies, build seeds/ into output/
# make test  : the same set-up plus the real export clients, then the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kg-installed

.PHONY: build test clients bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/kg build seeds/ --out output/

clients:
	bash scripts/setup-clients.sh

test: $(STAMP) clients
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) output/graph.* output/neo4j output/ontology.ttl .kg-cache
