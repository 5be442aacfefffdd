# The two commands of the README: `make up` (start everything) and `make test` (run every check).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := server/.venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := client/node_modules/.installed
CLIENT_SOURCES := $(shell find client/src client/public -type f 2>/dev/null) client/index.html client/vite.config.ts \
	client/package-lock.json client/tsconfig.app.json

.PHONY: help up test install test-server test-client test-deploy test-e2e lint format chromium clean

help:
	@echo "make up    - install what is missing, start the whole product (Ctrl-C stops it)"
	@echo "make test  - every check: ruff, mypy, pytest, client lint/types/tests/build, deploy files, browser test"

$(PY_STAMP): server/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e "server[dev]"
	@touch $@

$(NPM_STAMP): client/package-lock.json client/package.json
	cd client && npm ci --no-audit --no-fund
	@touch $@

client/dist/index.html: $(NPM_STAMP) $(CLIENT_SOURCES)
	cd client && npm run build

install: $(PY_STAMP) client/dist/index.html

up: install
	@exec $(BIN)/evoai up

test: install test-server test-client test-deploy test-e2e
	@echo "make test: all checks passed"

test-server: $(PY_STAMP)
	cd server && .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy
	cd server && .venv/bin/pytest -q

test-client: client/dist/index.html
	cd client && npm run lint && npm run typecheck && npm test

test-deploy: $(PY_STAMP)
	EVOAI_VENV_BIN=$(CURDIR)/$(BIN) deploy/check.sh

test-e2e: install chromium
	scripts/e2e.sh

# Browser tests drive Debian's Chromium (no browser download is possible here).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install -y chromium" >&2; exit 1; fi; }

format: $(PY_STAMP)
	cd server && .venv/bin/ruff format . && .venv/bin/ruff check --fix .

clean:
	rm -rf $(VENV) client/node_modules client/dist
