# Everything here works on a fresh machine with only Python 3.10+: each target makes
# its own virtualenv in .venv and installs what it needs into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg setup.py | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: help venv test test-example demo bench lint typecheck generate check-generated clean

help:
	@echo "make demo        run the example project against the offline Teamleader sandbox"
	@echo "make test        run the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make bench       measure the client's overhead, and the mirror's sync and webhook costs"
	@echo "make lint        ruff, and check that generated endpoints match tools/operations.json"
	@echo "make typecheck   mypy over the plain-Python client"
	@echo "make generate    regenerate the endpoints from ../shared/teamleader-api/openapi-*.yaml"

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e ".[django,test,browser,lint]" mypy types-requests
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m pytest -c example_project/pytest.ini example_project/tests $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/python example_project/demo.py

bench: $(STAMP)
	$(BIN)/python bench/call_overhead.py --django
	$(BIN)/python bench/mirror.py

lint: $(STAMP)
	$(BIN)/ruff check teamleader tests tools bench example_project
	$(BIN)/python tools/generate_endpoints.py --check
	$(BIN)/python tools/endpoint_coverage.py

typecheck: $(STAMP)
	$(BIN)/mypy teamleader --exclude 'teamleader/(django|testing)/'

generate: $(STAMP)
	$(BIN)/python tools/generate_endpoints.py $(firstword $(wildcard ../shared/teamleader-api/openapi-*.yaml))

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
