"""Storing an upload: size, kind and content signature are checked before anything
is kept, and the file lands under VAR_DIR/imports, never under a public media root.

The extension is only a claim: an .xlsx must really be a zip archive, and a .csv must
look like text (no zip signature, no NUL in its first 4 KB, which is how UTF-16 and
binary files announce themselves). A NUL further in is not a file-level matter: the
reader reports it as an error of the row it sits in (reading.control_character_error).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings

from .errors import ImportFileError

MAX_FILE_BYTES = 5 * 1024 * 1024
XLSX_SIGNATURE = b"PK\x03\x04"
TEXT_SNIFF_BYTES = 4096
# Control characters have no business in a file name (PostgreSQL refuses NUL outright).
_NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def import_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def kind_of(name: str) -> str:
    """"xlsx" or "csv" from the file name; anything else is refused."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    raise ImportFileError("只接受 .xlsx 或 .csv 文件。", "Only .xlsx or .csv files are accepted.")


def check_signature(kind: str, data: bytes) -> None:
    """Refuse content that is not what its extension claims."""
    if kind == "xlsx":
        if not data.startswith(XLSX_SIGNATURE) or not zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportFileError("文件内容不是有效的 .xlsx 表格（可能只是改了扩展名）。",
                                  "The content is not an xlsx (zip) file.")
    elif data.startswith(XLSX_SIGNATURE) or b"\x00" in data[:TEXT_SNIFF_BYTES]:
        raise ImportFileError("文件内容不是文本格式的 .csv。", "The content is not a text CSV.")


def store_upload(uploaded: Any) -> tuple[str, str, str]:
    """Check and store an uploaded file. Returns (file_name, stored path, sha256)."""
    name = _NAME_CONTROLS.sub("", Path(str(uploaded.name or "")).name)[:255]
    kind = kind_of(name)
    if uploaded.size is not None and uploaded.size > MAX_FILE_BYTES:
        raise ImportFileError("文件超过 5 MB，请拆分后再导入。", "File larger than 5 MB.")
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    size = 0
    for chunk in uploaded.chunks():
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise ImportFileError("文件超过 5 MB，请拆分后再导入。", "File larger than 5 MB.")
        digest.update(chunk)
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise ImportFileError("文件为空。", "The file is empty.")
    check_signature(kind, data)
    path = import_dir() / f"{uuid.uuid4().hex}.{kind}"
    path.write_bytes(data)
    return name, str(path), digest.hexdigest()
