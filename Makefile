# Everything here works on a fresh machine with only Python 3.10+: each target makes
# its own virtualenv in .venv and installs what it needs into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg setup.py | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: help venv test test-example demo bench lint typecheck generate check-generated messages clean

help:
	@echo "make demo        run the example project against the offline Teamleader sandbox"
	@echo "make test        run the whole test suite (SQLite; DATABASE_URL=postgres://... or mysql://... too)"
	@echo "make bench       measure the client's overhead, request validation, and the mirror's sync and webhook costs"
	@echo "make lint        ruff, check that generated code and data match tools/operations.json, and that"
	@echo "                 every string of the Django app is translated (nl, fr, de) and compiled"
	@echo "make typecheck   mypy over the client and the Django app"
	@echo "make generate    regenerate endpoints, request rules and sandbox answers from tools/operations.json"
	@echo "                 (SPEC=path/to/openapi.yaml refreshes that extract from a newer spec first)"
	@echo "make messages    extract the Django app's strings into its .po files and compile the .mo files"

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e ".[django,test,browser,lint]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m pytest -c example_project/pytest.ini example_project/tests $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/python example_project/demo.py

BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/teamleader_bench

bench: $(STAMP)
	$(BIN)/python bench/call_overhead.py --django --postgres $(BENCH_POSTGRES)
	$(BIN)/python bench/validation.py
	$(BIN)/python bench/rate_limit.py
	$(BIN)/python bench/mirror.py

lint: $(STAMP)
	$(BIN)/ruff check teamleader tests tools bench example_project
	$(BIN)/python tools/generate_endpoints.py --check
	$(BIN)/python tools/endpoint_coverage.py
	$(BIN)/python tools/translations.py --check

typecheck: $(STAMP)
	$(BIN)/mypy teamleader

SPEC ?=

generate: $(STAMP)
	$(BIN)/python tools/generate_endpoints.py $(SPEC)

messages: $(STAMP)
	$(BIN)/python tools/translations.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
