# Everything here works on a fresh machine with only Python 3.10+: each target makes
# its own virtualenv in .venv and installs what it needs into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HASH := $(shell cat setup.cfg setup.py example_project/requirements.txt | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(HASH)
DEMO_STAMP := $(VENV)/.installed-demo-$(HASH)
DOCS_STAMP := $(VENV)/.installed-docs-$(HASH)
PYTEST_ARGS ?=
# MkDocs plugins print a notice about MkDocs 2 on every build; the docs extra pins 1.x.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: help venv test test-example demo bench lint typecheck generate check-generated messages docs docs-build dist clean

help:
	@echo "make demo        run the example project against the offline Teamleader sandbox"
	@echo "make test        run the whole test suite (SQLite; DATABASE_URL=postgres://... or mysql://... too)"
	@echo "make bench       measure the client's overhead, request validation, and the mirror's sync and webhook costs"
	@echo "make lint        ruff, check that generated code and data match tools/operations.json, and that"
	@echo "                 every string of the Django app is translated (nl, fr, de) and compiled"
	@echo "make typecheck   mypy over the client and the Django app"
	@echo "make docs        serve the documentation site on http://127.0.0.1:8000 (docs-build: build it, --strict)"
	@echo "make dist        build the sdist and the wheel, twine check them, install the wheel in a clean virtualenv"
	@echo "make generate    regenerate endpoints, request rules and sandbox answers from tools/operations.json"
	@echo "                 (SPEC=path/to/openapi.yaml refreshes that extract from a newer spec first)"
	@echo "make messages    extract the Django app's strings into its .po files and compile the .mo files"

# The full development install; the demo and the docs stamps below install only what
# their target needs, into the same virtualenv.
$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e ".[django,test,browser,lint]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP) $(DEMO_STAMP)

$(DEMO_STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[django]" -r example_project/requirements.txt
	touch $(DEMO_STAMP)

$(DOCS_STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m pytest -c example_project/pytest.ini example_project/tests $(PYTEST_ARGS)

demo: $(DEMO_STAMP)
	$(BIN)/python example_project/demo.py

docs: $(DOCS_STAMP)
	$(BIN)/mkdocs serve

docs-build: $(DOCS_STAMP)
	$(BIN)/mkdocs build --strict
	$(BIN)/python tools/check_docs_reference.py

DIST_VENV ?= build/dist-venv

# The wheel is installed with the django extra into a virtualenv of its own, where
# tools/check_install.py sees only what was shipped.
dist: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[release]"
	rm -rf dist $(DIST_VENV)
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet "$$(ls dist/*.whl)[django]"
	$(DIST_VENV)/bin/python tools/check_install.py dist

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
	rm -rf $(VENV) build dist site *.egg-info .pytest_cache .mypy_cache .ruff_cache
