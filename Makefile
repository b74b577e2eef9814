# Two commands set everything up on a fresh machine: `make bib` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LIST ?= reading-list.md
OUT ?= out

.PHONY: bib test bench eval clean

# The virtual environment, refreshed whenever the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Resolves only what the lock lacks (nothing, with a complete lock: no network), then builds.
bib: $(VENV)/.installed
	$(BIN)/refexport resolve $(LIST) --lock refexport.lock --overrides overrides
	$(BIN)/refexport build $(LIST) --out $(OUT) --lock refexport.lock --overrides overrides

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_resolve.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
	find $(OUT) -mindepth 1 ! -name README.md -delete

# Accuracy against the simulated APIs and the development key (needs ../shared/eval).
eval: $(VENV)/.installed
	$(BIN)/python benchmarks/eval.py
