# Two commands set everything up on a fresh machine: `make bib` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LIST ?= reading-list.md
OUT ?= out

.PHONY: bib test bench clean

# The virtual environment, refreshed whenever the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

bib: $(VENV)/.installed
	$(BIN)/refexport build $(LIST) --out $(OUT) --lock refexport.lock --overrides overrides

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
	find $(OUT) -mindepth 1 ! -name README.md -delete
