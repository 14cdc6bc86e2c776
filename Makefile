# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HF_HUB_OFFLINE := 1

LOAD_PORT ?= 8411
LOAD_REQUESTS ?= 5000
LOAD_CONCURRENCY ?= 32

.PHONY: run test test-slow install install-serve index check audit load bench bench-quick clean

run: index  ## install, build the index if missing or stale, serve on http://$(HOST):$(PORT)
	$(BIN)/advisor serve --host $(HOST) --port $(PORT)

AXE := node_modules/axe-core/axe.min.js

test: check $(AXE)  ## lint, types and the whole suite, as CI runs it
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: install  ## the slow tests too
	$(BIN)/python -m pytest -q

check: install  ## lint and type-check
	$(BIN)/ruff check advisor tests scripts
	$(BIN)/mypy advisor

audit: install  ## known vulnerabilities with a fix in the locked dependencies fail the build
	$(BIN)/python scripts/audit.py

load: index  ## bounded load test of the real server on loopback: errors, p50/p99, server RSS first/last 1000
	$(BIN)/python -m advisor.bench.loadtest --serve --port $(LOAD_PORT) --requests $(LOAD_REQUESTS) --concurrency $(LOAD_CONCURRENCY)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

SERVE_VENV ?= .venv-serve

install-serve: $(SERVE_VENV)/.installed  ## serving only, without torch: serves an index built with ADVISOR_ENCODER=onnx

$(SERVE_VENV)/.installed: pyproject.toml requirements-serve.lock
	test -x $(SERVE_VENV)/bin/python || $(PYTHON) -m venv $(SERVE_VENV)
	$(SERVE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-serve.lock
	$(SERVE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

bench: $(VENV)/.bench-installed index  ## the full benchmark (tens of minutes) -> eval/reports/bench-<date>.*
	$(BIN)/advisor bench --out eval/reports

bench-quick: index  ## the benchmark in miniature, as `make test` checks it
	$(BIN)/advisor bench --quick --out eval/reports/tmp

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	touch $@

$(AXE):  ## axe-core, for the accessibility checks of the browser tests (from npm; skipped without npm)
	if command -v npm >/dev/null; then \
	  npm install --no-save --no-package-lock --no-audit --no-fund --silent axe-core@4.14.1; \
	else echo "npm not found: the axe-core checks will be skipped"; fi

index: install  ## build the index only if it is missing or stale
	$(BIN)/advisor build --if-stale

clean:
	rm -rf $(VENV) $(SERVE_VENV) index/*/ index/current index/.lock index/.models
