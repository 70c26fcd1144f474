"""The open-data export of published decisions (docs/open-data.md): CSV and the same
rows as JSON, streamed row by row from a server-side cursor (``iterator``), so the
memory used is one chunk whatever the number of rows. Only the public columns are
read (``values`` of EXPORT_COLUMNS): no original text, no masks, no staff."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from .selectors import DecisionFilters, search
from .serializers import EXPORT_FIELDS, export_row

EXPORT_COLUMNS = ("id", "document_number", "party_name", "violation", "decision_type",
                  "district_code", "authority__name", "decided_on", "published_at",
                  "publication_ends_on", "version", "public_text")
CHUNK = 2000


def _rows(filters: DecisionFilters) -> Iterator[dict[str, Any]]:
    values = search(filters).values(*EXPORT_COLUMNS)
    for row in values.iterator(chunk_size=CHUNK):
        yield export_row(row)


def csv_lines(filters: DecisionFilters) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark (so a spreadsheet reads the Chinese right)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writeheader()
    yield "\ufeff" + flush()
    for row in _rows(filters):
        writer.writerow(row)
        yield flush()


def json_chunks(filters: DecisionFilters) -> Iterator[str]:
    """A JSON array of the same rows, one object per line."""
    yield "[\n"
    first = True
    for row in _rows(filters):
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"
