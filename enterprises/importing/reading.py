"""Reading an import file: rows of .xlsx or .csv, the header row mapped onto fields,
cells turned into text. File-level problems raise ImportFileError; problems of one
cell (a formula, a control character) come back as that row's RowErrors.

XML safety: openpyxl parses with defusedxml automatically when it is importable
(openpyxl.xml.DEFUSEDXML; its iterparse/fromstring then come from defusedxml, so DTDs
and entity expansion are refused). We pin defusedxml and refuse to parse at all if
openpyxl did not pick it up (e.g. OPENPYXL_DEFUSEDXML=False in the environment);
tests/enterprises/test_enterprise_import.py proves an entity bomb is rejected. A zip
bomb is refused by its declared uncompressed size before openpyxl opens it.

Text: a .csv is UTF-8 (with or without BOM) or, as Excel on a Chinese Windows saves
it, GB18030 (a superset of GBK). Formulas are never evaluated: a formula cell is a
row error. Control characters are refused per cell: NUL in particular would otherwise
travel into PostgreSQL, which accepts it neither in text nor in jsonb (the job's error
list), and crash the job. Tab, line feed and carriage return are ordinary whitespace
inside a cell (Alt+Enter in Excel, a quoted multi-line CSV field) and stay allowed;
the coded columns treat them as whitespace or reject them with their own message.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from .columns import COLUMNS, FIELD_LABELS, HEADER_ALIASES, REQUIRED_KEYS
from .errors import ImportFileError, RowError

MAX_ROWS = 50_000
# A zip bomb: 5 MB compressed may inflate to gigabytes; no honest sheet of 50,000
# rows comes near this.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# A district's own sheet often has a title row (merged cells) above the header.
HEADER_SCAN_ROWS = 5
# C0 controls except tab, LF and CR; DEL; the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# (row number as the user sees it, {field: text}, errors of single cells)
RawRow = tuple[int, dict[str, str], list[RowError]]


def _unreadable_xlsx(exc: Exception) -> ImportFileError:
    return ImportFileError("无法读取该 .xlsx 文件，文件可能已损坏或含有不安全的内容。",
                           f"Unreadable xlsx: {type(exc).__name__}")


def _too_many_rows() -> ImportFileError:
    return ImportFileError(f"数据超过 {MAX_ROWS} 行，请拆分后再导入。",
                           f"More than {MAX_ROWS} data rows.")


def ensure_defusedxml() -> None:
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise ImportFileError("服务器未启用安全的 XML 解析（defusedxml），暂不能导入 .xlsx 文件。",
                              "openpyxl is not using defusedxml; refusing to parse xlsx.")


# --- Headers --------------------------------------------------------------------------

def normalise_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("(", "（").replace(")", "）")
    return "".join(text.split())


def map_headers(raw: list[Any]) -> dict[int, str]:
    """{column index: field key} for a header row; ImportFileError if a required
    column is missing. A repeated header keeps its first column."""
    known = dict(COLUMNS) | HEADER_ALIASES
    mapping: dict[int, str] = {}
    for index, header in enumerate(raw):
        key = known.get(normalise_header(header))
        if key and key not in mapping.values():
            mapping[index] = key
    missing = [FIELD_LABELS[k] for k in REQUIRED_KEYS if k not in mapping.values()]
    if missing:
        raise ImportFileError(
            f"表头缺少必需的列：{'、'.join(missing)}。请使用页面提供的导入模板。",
            f"Missing required columns: {', '.join(missing)}.")
    return mapping


# --- Cells ----------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def control_character_error(value: Any) -> str | None:
    """The Chinese complaint about the first control character in a cell, or None."""
    if not isinstance(value, str):
        return None  # numbers and dates carry none
    match = CONTROL_CHARACTERS.search(value)
    if match is None:
        return None
    return (f"含有不可见的控制字符 U+{ord(match.group()):04X}（第 {match.start() + 1} 个字符），"
            "请删除后重新导入。")


# --- Files ----------------------------------------------------------------------------

def _xlsx_rows(path: str) -> Iterator[list[Any]]:
    """Rows of the first sheet as cells (read-only, formulas NOT evaluated)."""
    ensure_defusedxml()
    with zipfile.ZipFile(path) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise ImportFileError("表格解压后过大，已拒绝。", "Uncompressed size too large.")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, ...)
        raise _unreadable_xlsx(exc) from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows()
    except ImportFileError:
        raise
    except Exception as exc:  # defusedxml refusals surface while iterating
        raise _unreadable_xlsx(exc) from exc
    finally:
        workbook.close()


def decode_csv(path: str) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on a Chinese Windows saves "CSV" in the ANSI code page: GBK ⊂ GB18030.
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFileError("无法识别 .csv 文件的编码，请另存为 UTF-8 或 GB18030 编码。",
                              "Unknown CSV encoding (expected UTF-8 or GB18030).") from exc


def _csv_rows(path: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(decode_csv(path), newline=""))
    try:
        yield from reader
    except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
        raise ImportFileError(
            f"第 {reader.line_num} 行附近的 CSV 格式有误（例如引号未配对），"
            "请用 Excel 另存为 CSV 后重试。",
            f"Malformed CSV near line {reader.line_num}: {exc}") from exc


def iter_raw_rows(path: str) -> Iterator[RawRow]:
    """Yield (row number as the user sees it, {field: text}, cell errors) for every
    non-empty data row. Raises ImportFileError for file-level problems."""
    is_xlsx = path.endswith(".xlsx")
    cells_iter: Iterator[Any] = _xlsx_rows(path) if is_xlsx else _csv_rows(path)
    mapping: dict[int, str] | None = None
    data_rows = 0
    scanned = 0
    for row_no, cells in enumerate(cells_iter, start=1):
        values = [getattr(c, "value", None) for c in cells] if is_xlsx else list(cells)
        if mapping is None:
            if all(cell_text(v) == "" for v in values):
                continue
            # Look for the header among the first few non-empty rows.
            scanned += 1
            try:
                mapping = map_headers(values)
            except ImportFileError:
                if scanned >= HEADER_SCAN_ROWS:
                    raise
            continue
        record: dict[str, str] = {}
        cell_errors: list[RowError] = []
        for index, key in mapping.items():
            if index >= len(values):
                continue
            cell = cells[index] if is_xlsx else None
            value = values[index]
            is_formula = (getattr(cell, "data_type", None) == "f"
                          or (isinstance(value, str) and value.startswith("=")))
            problem = control_character_error(value)
            if is_formula:
                problem = "含有公式，导入不接受公式，请粘贴为数值后重试。"
            if problem:
                cell_errors.append(RowError(row_no, key, f"“{FIELD_LABELS[key]}”{problem}"))
                record[key] = ""
                continue
            record[key] = cell_text(value)
        if not any(record.values()) and not cell_errors:
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise _too_many_rows()
        yield row_no, record, cell_errors
    if mapping is None:
        if scanned:
            map_headers([])  # raises the "missing columns" message
        raise ImportFileError("文件中没有表头行。请使用页面提供的导入模板。",
                              "No header row found.")


def estimate_rows(path: str) -> int:
    """A cheap count of data rows to decide inline vs task (exact count comes later)."""
    if path.endswith(".xlsx"):
        ensure_defusedxml()
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
            max_row = workbook.worksheets[0].max_row
            workbook.close()
        except Exception as exc:
            raise _unreadable_xlsx(exc) from exc
        # Some writers record no dimension, or just "A1": count those by reading.
        if max_row is not None and max_row > 1:
            if max_row - 1 > MAX_ROWS:
                raise _too_many_rows()
            return max(max_row - 1, 0)
    return sum(1 for _ in iter_raw_rows(path))
