# Two commands on a fresh machine: `make run` (set up and serve on SQLite) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: install load run test test-hostile test-fast bench fixtures check-deploy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## migrate and load the committed fixtures into DATABASE_URL (SQLite by default); idempotent
load: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_plan

run: load
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## every public and admin URL × every parameter × 65 hostile payloads: no response ≥ 500 (slow)
test-hostile: install
	$(BIN)/python -m pytest -m hostile tests/security $(PYTEST_ARGS)

## regenerate fixtures/ from the article kept beside them
fixtures: install
	$(BIN)/python manage.py extract_article fixtures/luzhou-chengyu-integration-2020.txt \
		--year 2020 --title "瀘州市發展改革委推動融入成渝地區雙城經濟圈建設" \
		--corrections fixtures/corrections.json \
		-o fixtures/luzhou-chengyu-integration-2020.json

bench: install
	$(BIN)/python bench/search.py $(BENCH_ARGS)

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=kb.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles test-artifacts
