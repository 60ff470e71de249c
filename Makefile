# Two commands: `make run` serves the shop, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install translations messages lint format bench bench-search bench-orders bench-ledger bench-reports bench-checkout clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/shop translations compile

# `make run` is for trying the shop on this machine: development settings unless told otherwise.
run: export SHOP_ENV ?= development
run: translations
	$(BIN)/shop db upgrade
	$(BIN)/shop demo --if-empty
	$(BIN)/shop search check >/dev/null 2>&1 || $(BIN)/shop search reindex
	$(BIN)/shop run --host $(HOST) --port $(PORT)

test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench.images

# Search at 10,000 and 100,000 listings against SQLite FTS5 (about 6 minutes).
bench-search: install
	$(BIN)/python -m bench.search

# Placing orders through the service on SQLite (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL).
bench-orders: install
	$(BIN)/python -m bench.orders $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# Every ledger balance of 1,000 producers over 100,000 entries, on SQLite
# (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL).
bench-ledger: install
	$(BIN)/python -m bench.ledger $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# The cooperative and impact dashboards and their exports over 2,000 producers and 300,000
# order lines, on SQLite (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL; ~10 minutes).
bench-reports: install
	$(BIN)/python -m bench.reports $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# Checkout through gunicorn (4 workers) on loopback beside the service path, and the cart and
# review pages' query counts, on SQLite (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL).
bench-checkout: translations
	$(BIN)/python -m bench.checkout_http $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# Re-extract the interface strings and merge them into every catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o shop/i18n/messages.pot --no-location --sort-output --project Dastranj .
	$(BIN)/pybabel update -i shop/i18n/messages.pot -d shop/i18n/translations --no-fuzzy-matching --ignore-obsolete
