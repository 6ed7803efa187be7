# trede: `make demo` and `make test` are all a newcomer needs (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export TREDE_VAR_DIR ?= $(CURDIR)/var
DEMO_CLIENTS ?= 3000

.PHONY: demo test check format bench messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.demo-installed

node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent; \
	else echo "npm not found: the browser test's accessibility check (axe-core) will be skipped"; fi

demo: $(VENV)/.demo-installed
	TREDE_DEMO=1 $(BIN)/trede migrate --noinput
	TREDE_DEMO=1 $(BIN)/trede createdemo --clients $(DEMO_CLIENTS)
	TREDE_DEMO=1 $(BIN)/trede runserver 127.0.0.1:8000

test: $(VENV)/.test-installed node_modules/axe-core/axe.min.js
	$(BIN)/pytest

check: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.test-installed
	$(BIN)/python bench/run.py

messages: $(VENV)/.test-installed
	cd src/trede && ../../$(BIN)/trede makemessages --locale en --no-obsolete --add-location file
	cd src/trede && ../../$(BIN)/trede compilemessages --locale en

screenshots: $(VENV)/.test-installed node_modules/axe-core/axe.min.js
	TREDE_SCREENSHOTS=1 $(BIN)/pytest -m browser tests/browser

clean:
	rm -rf $(VENV) var node_modules
