# navbok — two commands matter: `make book` and `make test` (see README.md).
VENV ?= .venv
BIN := $(VENV)/bin
KOMMUNE ?= 3201
SNAPSHOT ?= data/snapshot

.PHONY: install data book test lint golden bench clean

$(BIN)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(BIN)/.installed

## Fetch the data snapshot (live SSB/NAV, or NAVBOK_SOURCE=DIR of recorded responses).
data: install
	$(BIN)/navbok fetch --snapshot $(SNAPSHOT)

$(SNAPSHOT)/manifest.json: | $(BIN)/.installed
	$(BIN)/navbok fetch --snapshot $(SNAPSHOT)

## Build the book for KOMMUNE (default 3201 Bærum) into _build/$(KOMMUNE)/html.
book: install $(SNAPSHOT)/manifest.json
	$(BIN)/navbok build --kommune $(KOMMUNE) --snapshot $(SNAPSHOT)

## Lint and run the whole test suite.
test: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/pytest

golden: install
	$(BIN)/python tests/regenerate_golden.py

## Benchmark the build (bench/bench.py): BENCH_ARGS="-n 10 --runs 3" for a quicker run.
bench: install $(SNAPSHOT)/manifest.json
	$(BIN)/python bench/bench.py --snapshot $(SNAPSHOT) $(BENCH_ARGS)

clean:
	rm -rf _build data/cache
