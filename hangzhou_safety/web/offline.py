"""The service worker that keeps an opened inspection usable with no connection.

Served from ``/sw.js`` (the site's root, so its scope covers every page) and rendered
from ``templates/web/sw.js``. It precaches the static files the field pages load,
under the same ``static()`` URLs the pages use (hashed names in production), and
keeps the inspection pages an inspector opened (the inspection, its evidence and its
signature page) network-first, so a reload offline shows the last copy. Writes never
go through it: answers, photos and signatures are queued in IndexedDB by
``static/js/offline-queue.js`` and sent by the page.

The worker's version is a digest of the precached files' contents: any change to one
of them (a deployment, or an edit in development) installs a new worker, which drops
the old static cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

#: Everything base.html and the field pages load (a test renders the pages and checks
#: that each of their static files is here).
PRECACHED_STATIC = (
    "favicon.svg",
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/idb/umd.js",
    "css/site.css",
    "css/print.css",
    "js/offline-queue.js",
    "js/field-forms.js",
    "js/stacked-tables.js",
    "js/inspection-progress.js",
    "js/signature-pad.js",
)


def _digest() -> str:
    sha = hashlib.sha256()
    for name in PRECACHED_STATIC:
        sha.update(name.encode())
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                sha.update(hashlib.sha256(handle.read()).digest())
    sha.update(static(PRECACHED_STATIC[0]).encode())
    return sha.hexdigest()[:16]


_cached_digest = lru_cache(maxsize=1)(_digest)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    # In development the files change under a running server: digest them every time.
    version = _digest() if settings.DEBUG else _cached_digest()
    response = render(request, "web/sw.js", {
        "version": version,
        "precache": json.dumps([static(name) for name in PRECACHED_STATIC]),
        "offline_url": json.dumps(reverse("web:offline")),
    }, content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every navigation; never from a cache.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the worker for a page that was never opened while online."""
    return render(request, "web/offline.html")
