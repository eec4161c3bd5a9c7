# CloudInterview: `make run` serves the embedded default, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test schema-check up lint lock eval system-packages venv dev-venv node-deps assets migrate bank static clean

# requirements.txt and requirements-dev.txt name what we depend on; the .lock files pin everything they pull in,
# with hashes, and are what gets installed (`make lock` recompiles them after a change).
$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.dev-installed

# package.json names the front-end build and the API checks' tools; package-lock.json pins them with hashes.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

# The room's code editor (frontend/editor.js, CodeMirror) bundled into static/: built here, never fetched from a CDN.
static/vendor/editor.js: node_modules/.installed frontend/editor.js
	npm run --silent build:editor

assets: static/vendor/editor.js

# The sandbox's strongest isolation needs bubblewrap and Debian's python3-seccomp; without them
# code still runs, in degraded mode, and the server says so (README, "Code sandbox").
system-packages:
	@bash scripts/system-packages.sh

migrate: venv
	$(PY) manage.py migrate --no-input -v 0

bank: migrate
	@if $(PY) manage.py help load_question_bank >/dev/null 2>&1; then $(PY) manage.py load_question_bank; fi

static: venv assets
	$(PY) manage.py collectstatic --no-input -v 0

run: system-packages venv bank static
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) -v $${DAPHNE_VERBOSITY:-0} cloudinterview.asgi:application

up: venv bank static
	@bash scripts/system-packages.sh up
	@bash scripts/up.sh

LOCK_OPTIONS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

lock: dev-venv
	$(VENV)/bin/pip-compile $(LOCK_OPTIONS) --output-file requirements.lock requirements.txt
	$(VENV)/bin/pip-compile $(LOCK_OPTIONS) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

lint: dev-venv
	$(VENV)/bin/ruff check .

# The OpenAPI document as clients meet it (docs/api.md, "The schema"): dumped and validated by drf-spectacular (a
# warning fails), linted by Redocly's recommended rules with every warning an error (redocly.yaml), turned into
# TypeScript types that a client file must type-check against (tsc --strict), and into a Python client
# (openapi-python-client, a warning fails), which tests/test_generated_client.py drives through a whole interview.
OPENAPI := var/openapi
schema-check: dev-venv node-deps
	@mkdir -p $(OPENAPI)
	$(PY) manage.py spectacular --validate --fail-on-warn --file $(OPENAPI)/schema.yaml
	npx --no-install redocly lint --config redocly.yaml $(OPENAPI)/schema.yaml
	npx --no-install openapi-typescript $(OPENAPI)/schema.yaml --output $(OPENAPI)/schema.d.ts
	npx --no-install tsc --strict --noEmit --skipLibCheck --target es2022 --module es2022 --moduleResolution bundler \
		tests/clients/check.ts
	$(VENV)/bin/openapi-python-client generate --path $(OPENAPI)/schema.yaml --config tests/clients/python-client.yaml \
		--output-path $(OPENAPI)/python-client --meta none --overwrite --fail-on-warning
	$(PY) -m compileall -q $(OPENAPI)/python-client

test: dev-venv node-deps assets schema-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	@hot=$$($(VENV)/bin/radon cc -n D .); if [ -n "$$hot" ]; then echo "Too complex (radon grade D or worse):"; echo "$$hot"; exit 1; fi
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

# Agreement of the offline evaluator with the graded answer sets, tuning half then held-out half
# (docs/evaluation.md); each run's last line is the summary.
EVAL_SETS ?= interviews/ai/evalset
eval: bank
	$(PY) manage.py evaluate_answers $(EVAL_SETS)/tune/*.jsonl
	$(PY) manage.py evaluate_answers $(EVAL_SETS)/heldout/*.jsonl

clean:
	rm -rf $(VENV) node_modules staticfiles var
