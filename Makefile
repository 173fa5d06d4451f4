# The two commands: `make site` builds the site, `make test` runs the whole test suite.
# Both set up everything they need on a fresh machine (Python venv; Debian packages for tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test serve system-deps clean

$(BIN)/cda: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@

site: $(BIN)/cda
	$(BIN)/cda build --offline

serve: $(BIN)/cda
	$(BIN)/cda serve

system-deps:
	bash scripts/install-system-deps.sh

test: $(BIN)/cda system-deps
	$(BIN)/ruff check build_tools tests benchmarks
	$(BIN)/mypy
	NO_MKDOCS_2_WARNING=1 $(BIN)/pytest -q

clean:
	rm -rf site .build.* .docs.*
