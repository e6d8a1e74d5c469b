# newsevents: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_LAKE ?= demo-lake

.PHONY: install demo test test-fast clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dask,dev]'
	touch $(STAMP)

install: $(STAMP)

# The pipeline over the bundled examples into a fresh lake, then a DuckDB aggregate.
demo: $(STAMP)
	rm -rf $(DEMO_LAKE)
	$(BIN)/newsevents run --input examples/ --output $(DEMO_LAKE)
	$(BIN)/newsevents sql --query incidents_by_type_and_country --lake $(DEMO_LAKE)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Unit tests only (no statistical model, no Beam pipelines).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not model and not slow"

clean:
	rm -rf $(VENV) $(DEMO_LAKE) .pytest_cache
