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
        if cursor is None:
            return cursor
        if cursor.position is None:
            # DRF never hands out a cursor without a position, offset or direction;
            # text that decodes to nothing ("!!!") is not the first page but junk.
            if not cursor.offset and not cursor.reverse:
                raise _invalid_cursor()
            return cursor
        position = str(cursor.position)
        if not (position.isascii() and position.isdigit()) or int(position) > MAX_POSITION:
            raise _invalid_cursor()
        return cursor

    def get_page_size(self, request: Any) -> int:
        """``page_size`` from 1 to ``max_page_size``; anything else is a 400 (DRF
        silently fell back to the default)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return int(self.page_size or 50)
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            message = f"每页条数应为 1 至 {self.max_page_size} 的整数。"
            raise InvalidInput(message, f"page_size must be an integer from 1 to "
                               f"{self.max_page_size}.", code="invalid_page_size",
                               fields={"page_size": [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1,
                                       "maximum": self.max_page_size}
        return parameters


def _invalid_cursor() -> InvalidInput:
    return InvalidInput("分页游标无效，请从第一页重新开始。", "Invalid pagination cursor.",
                        code="invalid_cursor", fields={"cursor": ["分页游标无效。"]})
