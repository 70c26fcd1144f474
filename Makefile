# The two commands a newcomer needs: `make run` and `make test`.
# DATABASE_URL / REDIS_URL are used when set; otherwise an embedded PostgreSQL
# (var/pgdata) and Celery's filesystem transport (var/celery-broker) stand in.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
DB_URL = $${DATABASE_URL:-$$($(PY) -m hangzhou_safety.dev.embedded_db url hangzhou_safety)}

.PHONY: run test install system-deps browser-deps bench bench-deps lint typecheck migrate seed stop-db messages

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' \
	  > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Debian packages the tests and the PDF documents need (never a downloaded browser or
# font): chromium for the browser tests, fonts-noto-cjk for Chinese glyphs (screenshots
# and PDFs), gettext for the catalogues, and WeasyPrint's native libraries: pango
# (loaded by name) and harfbuzz-subset (font subsetting; without it a CJK page takes
# over 10 s). Installed only when one is missing, and only as root.
SYSTEM_PACKAGES := chromium fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages: sudo apt-get install $$missing"; \
	  fi; \
	fi

# The former name of system-deps.
browser-deps: system-deps

run: install
	@mkdir -p var
	@set -e; export DATABASE_URL="$(DB_URL)"; \
	  $(PY) manage.py migrate --noinput; \
	  if [ ! -f var/.demo-seeded ]; then $(PY) manage.py seed_demo && touch var/.demo-seeded; fi; \
	  $(PY) manage.py collectstatic --noinput >/dev/null; \
	  echo ""; \
	  echo "  hangzhou-safety: http://127.0.0.1:8000"; \
	  echo "  Demo accounts (password $${DEMO_PASSWORD:-Demo-2026-hz}):"; \
	  echo "    admin               municipal administrator (all of Hangzhou)"; \
	  echo "    xihu_inspector      inspector, 西湖区 (also xihu_inspector2)"; \
	  echo "    xihu_chief          section chief / legal reviewer, 西湖区"; \
	  echo "    xihu_approver       district approver, 西湖区"; \
	  echo "    binjiang_inspector  inspector, 滨江区 (also binjiang_inspector2, binjiang_approver)"; \
	  echo "    binjiang_chief      section chief / legal reviewer, 滨江区"; \
	  echo "  Fake credit platform: http://127.0.0.1:8765/_admin/received (the demo's pushes"; \
	  echo "    arrive once the worker is up; /credit/outbox/ shows them sent)"; \
	  echo ""; \
	  exec $(VENV)/bin/honcho -f Procfile start

# Two processes by default (pytest-xdist, one per core; TEST_PROCESSES=1 for one). Files stay
# whole on one process (--dist loadfile), so module fixtures are built once.
test: install system-deps
	@set -e; export DATABASE_URL="$(DB_URL)" DJANGO_STATIC_MANIFEST=0; \
	  status=0; $(PY) -m pytest --create-db -n $${TEST_PROCESSES:-2} --dist loadfile \
	    --durations=25 || status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	  exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

typecheck: install
	@export DATABASE_URL="$(DB_URL)"; $(VENV)/bin/mypy hangzhou_safety enterprises inspections enforcement credit

migrate: install
	@export DATABASE_URL="$(DB_URL)"; $(PY) manage.py migrate

seed: install
	@export DATABASE_URL="$(DB_URL)"; $(PY) manage.py seed_demo

stop-db:
	$(PY) -m hangzhou_safety.dev.embedded_db stop

# Benchmarks that need no seeded database (benchmarks/README.md has the others).
# Regenerate translation catalogues (needs gettext's msgfmt).
messages: install
	@export DATABASE_URL="$(DB_URL)"; $(PY) manage.py makemessages -l en --no-location \
	  --ignore=.venv --ignore=var --ignore=static --ignore=staticfiles --ignore=test-artifacts \
	  && $(PY) manage.py compilemessages --ignore=.venv

# Benchmarks at scale (not part of `make test`): a database of their own, seeded once
# (300,300 enterprises take about 4 minutes), then the PDF render timing, the in-process
# list timings and the gunicorn + wrk throughput run, which appends its table to BENCHMARKS.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hs_bench
BENCH_SCALE ?= 385
BENCH_PUBLIC_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hs_bench_public
BENCH_PUBLIC_ROWS ?= 1000000

bench-deps:
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk missing: sudo apt-get install wrk"; exit 1; fi; \
	fi

bench: install system-deps bench-deps
	@set -e; export DATABASE_URL="$(BENCH_DATABASE_URL)" DJANGO_STATIC_MANIFEST=0; \
	  db=$${DATABASE_URL##*/}; \
	  psql "$${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" | grep -q 1 || \
	    psql "$${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE $$db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"; \
	  $(PY) manage.py migrate --noinput -v0; \
	  $(PY) benchmarks/document_render.py --runs 20; \
	  $(PY) benchmarks/enterprise_list.py --scale $(BENCH_SCALE); \
	  $(PY) benchmarks/throughput.py --scale $(BENCH_SCALE); \
	  benchmarks/credit_push.sh
	@# The public decisions API at 1,000,000 published rows, in a database of its own.
	@set -e; export DATABASE_URL="$(BENCH_PUBLIC_DATABASE_URL)" DJANGO_STATIC_MANIFEST=0; \
	  db=$${DATABASE_URL##*/}; \
	  psql "$${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" | grep -q 1 || \
	    psql "$${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE $$db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"; \
	  $(PY) manage.py migrate --noinput -v0; \
	  $(PY) benchmarks/public_decisions.py --rows $(BENCH_PUBLIC_ROWS)
	@# schemathesis unbounded (50 examples per operation and persona): against a test
	@# database of its own, so it never touches the bench data.
	@export DATABASE_URL="$(DB_URL)"; $(PY) benchmarks/fuzz_api.py
