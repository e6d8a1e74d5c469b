# newsevents: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_LAKE ?= demo-lake
WHEEL_VENV := .wheel-venv
# pip reports every configured package location it cannot use; none of that is ours.
PIP_QUIET := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
# setuptools' notice on every editable install (a UserWarning box of ten lines) says
# nothing about this project.
PIP_ENV := PYTHONWARNINGS=ignore::UserWarning

.PHONY: install lock browser demo test test-fast wheel wheel-demo clean

# The versions of every dependency the tests last passed with, on the Python of the
# lock (other Pythons resolve freely): a new release changes nothing here until `make
# lock` takes it, after which the tests and the quality figures are measured again.
# (datasketch 2.0 changed every MinHash signature; a fresh install moved ACLED scores.)
CONSTRAINTS := constraints.txt
LOCK_VENV := .lock-venv

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip $(PIP_QUIET)
	$(PIP_ENV) $(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[dask,dev]' $(PIP_QUIET)
	touch $(STAMP)

# Resolve every dependency anew (no constraints) and write what was installed.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip $(PIP_QUIET)
	$(PIP_ENV) $(LOCK_VENV)/bin/pip install --quiet -e '.[dask,dev]' $(PIP_QUIET)
	{ echo "# Written by \`make lock\`: the versions \`make install\` uses on this Python."; \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable 2>/dev/null \
	    | sed "s/\$$/; python_version == \"$$($(LOCK_VENV)/bin/python -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')\"/"; \
	} > $(CONSTRAINTS)
	rm -rf $(LOCK_VENV)

install: $(STAMP)

# The pipeline over the bundled examples into a fresh lake, then a DuckDB aggregate.
demo: $(STAMP)
	rm -rf $(DEMO_LAKE)
	$(BIN)/newsevents run --input examples/ --output $(DEMO_LAKE)
	$(BIN)/newsevents sql --query incidents_by_type_and_country --lake $(DEMO_LAKE)

# The report's test loads the page in headless Chromium: Debian's chromium and
# chromium-driver, installed here when missing (as root, or through sudo).
browser:
	@if ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then \
		echo "installing Debian's chromium and chromium-driver for the report's browser test"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			chromium chromium-driver >/dev/null; \
	fi

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# Unit tests and small in-memory TestPipeline tests: no statistical model, no runs of the
# whole pipeline.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not model and not slow"

# The wheel a user installs; its build must print no warning.
wheel: $(STAMP)
	rm -rf dist
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir dist . > dist.log 2>&1 || { cat dist.log; exit 1; }
	@if grep -v "is ignored: it is neither" dist.log | grep -i "warning"; then \
		echo "the wheel build printed warnings"; exit 1; fi
	rm -f dist.log

# The wheel installed into a clean venv (not this checkout) runs the demo from elsewhere.
wheel-demo: wheel
	rm -rf $(WHEEL_VENV)
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install --quiet dist/newsevents-*.whl $(PIP_QUIET)
	cd /tmp && rm -rf newsevents-wheel-lake \
		&& $(CURDIR)/$(WHEEL_VENV)/bin/newsevents run -i $(CURDIR)/examples -o newsevents-wheel-lake \
		&& $(CURDIR)/$(WHEEL_VENV)/bin/newsevents sql -q incidents_by_type_and_country -l newsevents-wheel-lake \
		&& rm -rf newsevents-wheel-lake

clean:
	rm -rf $(VENV) $(WHEEL_VENV) $(LOCK_VENV) $(DEMO_LAKE) dist .pytest_cache
