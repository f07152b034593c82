# Two commands do everything:
#   make run    set up, build the graph from seeds/ and serve it on http://127.0.0.1:5000/
#   make test   set up and run the test suite
PY ?= python3
VENV ?= .venv
STORE ?= data/store
PORT ?= 5000

.PHONY: run test setup vendor browser clean

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed vendor

# Front-end libraries (YASGUI, Cytoscape.js) from npm, pinned in package-lock.json, copied into
# server/static/vendor/ (not committed).
vendor:
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error && npm run --silent vendor; fi

# Debian's Chromium for the browser tests (installed when missing and we may; otherwise they skip).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will be skipped"; }

run: setup
	$(VENV)/bin/vnkg build --store $(STORE) seeds/
	$(VENV)/bin/vnkg serve --store $(STORE) --port $(PORT)

test: setup browser
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) data node_modules server/static/vendor
