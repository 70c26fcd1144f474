# The two commands a newcomer needs: `make run` and `make test`.
# DATABASE_URL / REDIS_URL are used when set; otherwise an embedded PostgreSQL
# (var/pgdata) and Celery's filesystem transport (var/celery-broker) stand in.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
DB_URL = $${DATABASE_URL:-$$($(PY) -m hangzhou_safety.dev.embedded_db url hangzhou_safety)}

.PHONY: run test install browser-deps lint typecheck migrate seed stop-db messages bench

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

# Debian's chromium for the browser tests (never a downloaded browser) and CJK fonts
# so screenshots show Chinese. Installed only when missing, and only as root.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-noto-cjk gettext >/dev/null; \
	  else \
	    echo "chromium / fonts-noto-cjk missing: sudo apt-get install chromium fonts-noto-cjk"; \
	  fi; \
	fi

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
	  echo "    binjiang_inspector  inspector, 滨江区 (also binjiang_approver)"; \
	  echo ""; \
	  exec $(VENV)/bin/honcho -f Procfile start

# The heavy checks kept out of `make test`: schemathesis unbounded (50 examples per
# operation and persona, benchmarks/fuzz_api.py).
bench: install
	@set -e; export DATABASE_URL="$(DB_URL)"; $(PY) benchmarks/fuzz_api.py

test: install browser-deps
	@set -e; export DATABASE_URL="$(DB_URL)" DJANGO_STATIC_MANIFEST=0; \
	  status=0; $(PY) -m pytest --create-db || status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	  exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

typecheck: install
	@export DATABASE_URL="$(DB_URL)"; $(VENV)/bin/mypy hangzhou_safety enterprises inspections enforcement

migrate: install
	@export DATABASE_URL="$(DB_URL)"; $(PY) manage.py migrate

seed: install
	@export DATABASE_URL="$(DB_URL)"; $(PY) manage.py seed_demo

stop-db:
	$(PY) -m hangzhou_safety.dev.embedded_db stop

# Regenerate translation catalogues (needs gettext's msgfmt).
messages: install
	@export DATABASE_URL="$(DB_URL)"; $(PY) manage.py makemessages -l en --no-location \
	  --ignore=.venv --ignore=var --ignore=static --ignore=staticfiles --ignore=test-artifacts \
	  && $(PY) manage.py compilemessages --ignore=.venv
