"""The API's JSON parser: depth-limited and free of control characters.

Python's json module recurses once per nesting level, so ``'[' * 2000`` raises
RecursionError deep inside the parser (a 500, reachable anonymously at the token
endpoint). No document of this API nests more than a few levels; anything deeper
than MAX_DEPTH is refused before parsing, by a linear scan that ignores brackets
inside strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .text import MESSAGE_EN, MESSAGE_ZH, find_control_characters

MAX_DEPTH = 32


class HostileInput(ParseError):
    """A 400 with a Chinese message, raised before any view runs."""

    def __init__(self, detail_zh: str, detail_en: str, code: str = "hostile_input") -> None:
        super().__init__(detail_en, code)
        self.detail_zh = detail_zh
        self.detail_en = detail_en
        self.error_code = code


def json_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode((parser_context or {}).get("encoding") or "utf-8")
        except UnicodeDecodeError as exc:
            raise HostileInput("请求内容不是有效的 UTF-8 编码。",
                               "The request body is not valid UTF-8.",
                               "parse_error") from exc
        if json_depth_exceeds(text):
            raise HostileInput(f"JSON 嵌套层数超过 {MAX_DEPTH} 层。",
                               f"JSON nested deeper than {MAX_DEPTH} levels.",
                               "too_deep")
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise HostileInput("请求内容不是有效的 JSON。", "Malformed JSON.",
                               "parse_error") from exc
        where = find_control_characters(data)
        if where:
            raise HostileInput(f"{MESSAGE_ZH}（字段：{where}）", f"{MESSAGE_EN} (field: {where})",
                               "control_characters")
        return data
