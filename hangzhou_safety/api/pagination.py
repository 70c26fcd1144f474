"""Keyset (cursor) pagination: no COUNT(*), stable under inserts."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import Cursor, CursorPagination

from hangzhou_safety.api.errors import InvalidInput

# The largest id PostgreSQL's bigint holds: a position beyond it cannot be compared.
MAX_POSITION = 2**63 - 1


class IdCursorPagination(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Any) -> Cursor | None:
        """DRF's decoding, plus a check that the position is an id.

        DRF accepts any text as the position and hands it to the database, so a
        crafted cursor (``p=abc``) was a 500 on every list; it is a 400 now.
        """
        try:
            cursor = super().decode_cursor(request)
        except Exception as exc:  # NotFound for bad base64 or offsets
            raise _invalid_cursor() from exc
        if cursor is None or cursor.position is None:
            return cursor
        position = str(cursor.position)
        if not position.lstrip("-").isdigit() or abs(int(position)) > MAX_POSITION:
            raise _invalid_cursor()
        return cursor


def _invalid_cursor() -> InvalidInput:
    return InvalidInput("分页游标无效，请从第一页重新开始。", "Invalid pagination cursor.",
                        code="invalid_cursor", fields={"cursor": ["分页游标无效。"]})
