"""Control characters in text input.

PostgreSQL refuses NUL in text columns (a 500 if it reaches the database), and the
other C0 controls have no business in a name, an address or a search box. Tab, line
feed and carriage return are ordinary in multi-line text and stay allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MESSAGE_ZH = "输入中含有不允许的控制字符（如 NUL），请删除后重新提交。"
MESSAGE_EN = "The input contains control characters (such as NUL) that are not allowed."


def has_control_characters(value: str) -> bool:
    return bool(_FORBIDDEN.search(value))


def find_control_characters(data: Any, path: str = "") -> str | None:
    """The first key path whose key or string value holds a control character."""
    if isinstance(data, str):
        return path or "value" if has_control_characters(data) else None
    if isinstance(data, dict):
        for key, value in data.items():
            key_text = str(key)
            here = f"{path}.{key_text}" if path else key_text
            if has_control_characters(key_text):
                return here
            found = find_control_characters(value, here)
            if found:
                return found
        return None
    if isinstance(data, list | tuple):
        for n, value in enumerate(data):
            found = find_control_characters(value, f"{path}[{n}]")
            if found:
                return found
    return None


def first_bad_field(items: Iterable[tuple[str, Any]]) -> str | None:
    """The first key of a QueryDict's ``lists()`` whose key or any value is bad."""
    for key, values in items:
        texts = values if isinstance(values, list) else [values]
        if has_control_characters(key) or any(
                isinstance(v, str) and has_control_characters(v) for v in texts):
            return key
    return None
