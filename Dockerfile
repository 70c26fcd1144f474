# syntax=docker/dockerfile:1
# Production image of hangzhou-safety: one image for web (gunicorn), worker and beat
# (docker-compose.yml picks the command). Build: `docker compose build` or
# `docker build -t hangzhou-safety .`
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=0 \
    HS_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles

# gettext: compilemessages. fonts-noto-cjk: Chinese glyphs in generated PDFs.
# libharfbuzz-subset0 (+ pango, which WeasyPrint loads by name): PDF rendering.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext \
        fonts-noto-cjk \
        libharfbuzz-subset0 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*

# The service runs unprivileged; the code stays owned by root (read-only for it).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

# Dependencies first, in their own layer: pyproject.toml installs only the pinned
# dependencies (packages = []); the code runs from /app. Built outside /app so no
# build/ or *.egg-info is left behind.
COPY pyproject.toml /tmp/build/pyproject.toml
RUN pip install /tmp/build && rm -rf /tmp/build

WORKDIR /app
COPY . /app

# settings.py refuses to load without DATABASE_URL and DJANGO_SECRET_KEY. Neither
# command touches the database, so dummy values are given to this RUN line only;
# they are not baked into the image.
RUN export DATABASE_URL=postgres://build:build@127.0.0.1:1/build \
        DJANGO_SECRET_KEY=build-only-dummy-key-not-used-at-runtime \
    && if [ -n "$(find . -name '*.po' -print -quit)" ]; then \
           python manage.py compilemessages; \
       fi \
    && python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown app:app /app/var

# /app/var (HS_VAR_DIR) is the only place the app writes at run time (uploads,
# exports); docker-compose.yml mounts a named volume there.
USER app
EXPOSE 8000

CMD ["gunicorn", "hangzhou_safety.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--access-logfile", "-"]
