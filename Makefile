# Two commands on a fresh machine: `make run` (set up and serve on SQLite) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000
WORKERS ?= 2
# pytest-xdist processes for the test targets (each has its own test database): one per core of
# this 2-core machine halves the suite's time; TEST_PROCESSES=0 runs in this process (pdb, -x).
TEST_PROCESSES ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_PROCESSES)
# Development settings for every target here; `serve` and `check-deploy` switch to production.
export DJANGO_DEBUG ?= 1

.PHONY: install load load-corpus bench-corpus run serve test test-hostile test-fast lint bench bench-load bench-http bench-extract bench-script fixtures gazetteer evaluate check-deploy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## migrate and load the committed fixtures into DATABASE_URL (SQLite by default); safe to repeat:
## keeps what staff changed or deleted (load_plan --replace overwrites)
load: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_plan

## the seed records, then the 31 provincial work reports of 2026 (or whatever CORPUS names): their
## passages searchable, their candidates for review; safe to repeat (what is there is skipped)
CORPUS ?= ../shared/corpus
load-corpus: load
	$(BIN)/python manage.py import_corpus $(CORPUS)

run: load
	$(BIN)/python manage.py runserver $(HOST)

## production settings behind gunicorn, over plain http for a local check (DJANGO_HTTPS=0).
## Static files are collected and migrations applied (they create the cache table) first; the
## secret key is DJANGO_SECRET_KEY or a new random one (sessions then
## end with the process). `make load` adds the seed records.
serve: install
	export DJANGO_DEBUG=0 DJANGO_HTTPS=$${DJANGO_HTTPS:-0} \
		DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
		DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')} && \
	$(BIN)/python manage.py collectstatic --noinput -v0 && \
	$(BIN)/python manage.py migrate --noinput && \
	exec $(BIN)/gunicorn luzhou_kb.wsgi --bind $(HOST) --workers $(WORKERS) --preload --access-logfile -

## the whole suite, browser tests included (the hostile-input sweep runs apart: `make test-hostile`)
test: install
	$(PYTEST) $(PYTEST_ARGS)

## every public and admin URL × every parameter × 65 hostile payloads: no response ≥ 500 (slow)
test-hostile: install
	$(PYTEST) -m hostile tests/security $(PYTEST_ARGS)

## without the browser and gunicorn tests, for the edit-test loop
test-fast: install
	$(PYTEST) -m "not browser and not load and not hostile" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

## regenerate fixtures/ from the article kept beside them
fixtures: install
	$(BIN)/python manage.py extract_article fixtures/luzhou-chengyu-integration-2020.txt \
		--year 2020 --title "瀘州市發展改革委推動融入成渝地區雙城經濟圈建設" \
		--published 2020-11-01 --published-precision month \
		--corrections fixtures/corrections.json \
		-o fixtures/luzhou-chengyu-integration-2020.json

BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(BENCH_STAMP)

## the search benchmark beside its peers (tantivy, whoosh + jieba: the `bench` extra) on the same
## passages and queries; BENCH_ARGS="--passages 1000000 --reuse" keeps the built database for next time
bench: $(BENCH_STAMP)
	$(BIN)/python bench/search.py --peers $(BENCH_ARGS)

## extraction time of a 5,000-character article (issue 11: under 1 s)
bench-extract: install
	$(BIN)/python bench/extract.py $(BENCH_ARGS)

## what converting every response to the reader's script (简/繁) costs, per page (bench/script.py)
bench-script: install
	$(BIN)/python bench/script.py $(BENCH_ARGS)

## the 31 reports into the library + search index vs raw jieba on the same text (a ratio; target ≥ 0.7),
## extraction timed apart (characters/s); SQLite, or the PostgreSQL DATABASE_URL names (a scratch database)
bench-corpus: install
	$(BIN)/python bench/corpus.py $(BENCH_ARGS)

## rebuild the parser's gazetteer from ../shared/data/china-divisions and apps/ingest/rules/places.toml
gazetteer: install
	$(BIN)/python manage.py build_gazetteer

## the extraction harness on the development and test texts
evaluate: install
	$(BIN)/python manage.py evaluate_extraction tests/ingest/eval/dev
	$(BIN)/python manage.py evaluate_extraction tests/ingest/eval/test

## gunicorn under a mix of pages, search and two planners' admin writes; SQLite, and PostgreSQL
## when DATABASE_URL names it (see bench/load.py)
bench-load: install
	$(BIN)/python bench/load.py $(BENCH_ARGS)

## search under load (issue 14): HTTP_PASSAGES passages (bench/search.py's), 16 clients pausing 0.5 s
## between requests on /api/search and /search/ for 60 s; SQLite, and PostgreSQL when DATABASE_URL names it.
## The built database is kept (bench/.cache/, bench_http_N_SEED beside DATABASE_URL's) for the next run
HTTP_PASSAGES ?= 100000
bench-http: install
	$(BIN)/python bench/load.py --search-passages $(HTTP_PASSAGES) --clients 16 --pause 0.5 --seconds 60 \
		--reuse $(BENCH_ARGS)

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=kb.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles test-artifacts
