# dualuse: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DUALUSE_DATABASE_URL ?= sqlite:///var/dualuse.db

.PHONY: run unit test lint typecheck importlint pytest browser system-deps bench clean audit-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

# WeasyPrint renders PDFs with Pango and subsets fonts with HarfBuzz; install them from Debian's packages when the machine lacks it.
system-deps:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset; } || { \
	  echo "Installing Pango and HarfBuzz's font subsetter for PDF rendering"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	  libharfbuzz-subset0 >/dev/null; }

run: $(STAMP) system-deps
	$(BIN)/dualuse db upgrade
	$(BIN)/dualuse reference load
	DUALUSE_DEMO=1 $(BIN)/dualuse demo load
	@echo "Open http://127.0.0.1:8000 and sign in with a demo login above (API docs: http://127.0.0.1:8000/docs)."
	DUALUSE_DEMO=1 $(BIN)/dualuse serve

# Debian's Chromium drives the browser tests; install it when it is missing (Playwright cannot download browsers here).
browser:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

importlint: $(STAMP)
	$(BIN)/lint-imports

# The OpenAPI client generator of tests/integration/test_generated_client.py, in a folder of its own: it pins
# older httpx and Typer than the app uses.
GENERATOR := $(VENV)/tools/openapi-python-client
$(GENERATOR)/.installed: $(STAMP)
	rm -rf $(GENERATOR)
	$(BIN)/python -m pip install -q --target $(GENERATOR) openapi-python-client==0.29.1
	@touch $@

# Two processes (pytest-xdist; a module's tests stay together, so its fixtures are made once). The API fuzzing
# runs on its own afterwards: schemathesis makes a test per API operation only in a single process.
pytest: $(STAMP) $(GENERATOR)/.installed browser system-deps
	$(BIN)/pytest -n 2 --dist loadscope --durations=25 --ignore=tests/integration/test_api_fuzz.py
	$(BIN)/pytest tests/integration/test_api_fuzz.py

test: lint typecheck importlint pytest

# The unit suite alone: pure domain and services on in-memory fakes, no database, no browser, no data files.
unit: $(STAMP)
	$(BIN)/pytest tests/unit -q -p no:cacheprovider

# Known vulnerabilities in the installed dependencies (pip-audit against PyPI's advisory data). Not part of
# `make test` yet: pip-audit asks PyPI's per-release JSON API (/pypi/NAME/VERSION/json) or OSV, and neither
# answers from the project's workplace (every package comes back "not found on PyPI"), so the target would
# fail there for want of data rather than for a vulnerability. --strict fails on any package not audited.
audit-deps: $(STAMP)
	$(BIN)/python -m pip install -q pip-audit
	$(BIN)/pip-audit --strict --progress-spinner off --skip-editable

# The performance goals of the issues, each against its baseline measured in the same run (needs PostgreSQL
# at 127.0.0.1:5432 for api_load; BENCH_POSTGRES_URL points elsewhere).
bench: $(STAMP)
	$(BIN)/python bench/controllist_search.py
	$(BIN)/python bench/determination.py
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/screening_names.py
	$(BIN)/python bench/screening_recall.py
	$(BIN)/python bench/screening_scale.py
	$(BIN)/python bench/screening_http.py
	$(BIN)/python bench/api_load.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
