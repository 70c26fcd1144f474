"""The PDF of a decision's public version, through the platform's document renderer
(hangzhou_safety.documents.render: WeasyPrint, the official stylesheet, local fonts).

Only the public columns and the masked text go into it. A rendering takes most of a
second, so the bytes are cached per disclosure, version and publication time (a
republished version is a new key; a withdrawn one is never served again because the
view reads the published row first).
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from enforcement.disclosure.models import Disclosure
from hangzhou_safety.documents.render import render_pdf

from .selectors import district_name

TEMPLATE = "public/decision_pdf.html"
CACHE_SECONDS = 24 * 3600


def _key(row: Disclosure) -> str:
    stamp = row.published_at.timestamp() if row.published_at else 0
    return f"portal:decision-pdf:{row.pk}:{row.version}:{stamp:.0f}"


def decision_pdf(row: Disclosure) -> bytes:
    key = _key(row)
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    pdf = render_pdf(TEMPLATE, {
        "row": row, "district": district_name(row.district_code),
        "paragraphs": [p for p in row.public_text.splitlines() if p.strip()],
        "printed": timezone.localdate()})
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf
