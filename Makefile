# navbok — two commands matter: `make book` and `make test` (see README.md).
VENV ?= .venv
BIN := $(VENV)/bin
KOMMUNE ?= 3201
SNAPSHOT ?= data/snapshot
# Older AAP155 workbooks (NAV serves only the current year): only when given, NAV_ARKIV=DIR.
# Nothing is added by itself, also not with NAVBOK_SOURCE (the recording's nav/arkiv/ stands
# for files a user collected by hand): `make data` fetches what a first live fetch gets.
NAV_ARKIV ?=
NAV_ARKIV_OPT := $(if $(NAV_ARKIV),--nav-arkiv $(NAV_ARKIV))

.PHONY: install data oppdater book books forrige publish workflows test wheel-smoke golden bench clean

$(BIN)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(BIN)/.installed

## Fetch the data snapshot (live SSB/NAV, or NAVBOK_SOURCE=DIR of recorded responses).
data: install
	$(BIN)/navbok fetch --snapshot $(SNAPSHOT) $(NAV_ARKIV_OPT)

## Ask SSB and NAV what is new since the snapshot; fetch only that and build the books again.
oppdater: install $(SNAPSHOT)/manifest.json
	$(BIN)/navbok oppdater --snapshot $(SNAPSHOT)

$(SNAPSHOT)/manifest.json: | $(BIN)/.installed
	$(BIN)/navbok fetch --snapshot $(SNAPSHOT) $(NAV_ARKIV_OPT)

## Build the book for KOMMUNE (default 3201 Bærum) into _build/$(KOMMUNE)/html, from the
## snapshot in $(SNAPSHOT) (fetched once; `make data` fetches it again).
book: install $(SNAPSHOT)/manifest.json
	@echo "make book: bygger fra snapshot $(SNAPSHOT) (hentet $$(sed -n 's/.*"created": "\([0-9-]*\).*/\1/p' $(SNAPSHOT)/manifest.json | head -1)); hent nye tall med: make data"
	$(BIN)/navbok build --kommune $(KOMMUNE) --snapshot $(SNAPSHOT)

## Build every municipality's book and the overview into _build/ (only what changed).
books: install $(SNAPSHOT)/manifest.json
	$(BIN)/navbok build --all --snapshot $(SNAPSHOT)

## The built books and the overview as one folder for a static host, then its check.
## SITE_URL: where it will be served (canonical links, sitemap.xml), e.g.
## https://eksempel.github.io/navbok/.
## FORRIGE: the previous edition's data folder for «Hva er nytt» (default: $(SITE_OUT)/data of
## the edition it replaces).
SITE_OUT ?= out/site
SITE_URL ?=
FORRIGE ?=
publish: install
	$(BIN)/navbok publish --out $(SITE_OUT) --snapshot $(SNAPSHOT) $(if $(SITE_URL),--url $(SITE_URL)) $(if $(FORRIGE),--forrige $(FORRIGE))
	$(BIN)/navbok publish --check $(SITE_OUT)

## The numbers of the edition now online at SITE_URL into out/forrige/ (none yet: the next
## edition is the first).
forrige:
	mkdir -p out/forrige
	for f in navbok-kommuner.parquet navbok-utgave.json; do \
	  curl -fsSL "$(SITE_URL)data/$$f" -o "out/forrige/$$f" || rm -f "out/forrige/$$f"; \
	done

## The CI workflows against GitHub's workflow schema (check-jsonschema's own copy: offline).
workflows: install
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

## Lint (the package, the tests and the chapters' code), count where the chapters' prose lives
## (at least 70 % in chapters/), type-check and run the whole test suite, then the wheel smoke test.
test: install workflows
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/python tools/lint_chapters.py
	$(BIN)/python tools/prose_count.py --min-chapters 70
	$(BIN)/mypy src
	$(BIN)/pytest
	$(MAKE) --no-print-directory wheel-smoke

## A wheel of the repository in a clean venv, run outside the repository: `navbok --help`, and
## with NAVBOK_SOURCE a fetch and a build of one municipality (tools/wheel_smoke.sh).
wheel-smoke: install
	tools/wheel_smoke.sh

## Regenerate both golden sets on purpose (needs NAVBOK_SOURCE): Bærum's executed chapters
## (tests/golden/*.ipynb) and the page texts of Bærum, Utsira and Oslo (tests/golden/pages/).
golden: install
	$(BIN)/python tests/regenerate_golden.py

## Benchmark the build (bench/bench.py): BENCH_ARGS="-n 10 --runs 3" for a quicker run.
bench: install $(SNAPSHOT)/manifest.json
	$(BIN)/python bench/bench.py --snapshot $(SNAPSHOT) $(BENCH_ARGS)

clean:
	rm -rf _build data/cache out
