"""Bulk import of the registry from .xlsx / .csv: parse, validate, commit.

Flow: an upload is stored under VAR_DIR/imports (never under a public media root) and
recorded as an ImportJob in mode "dry_run"; the dry run validates every row and stores
the errors in Chinese. Committing creates a second job (mode "all" or "valid_only") on
the same stored file; the commit re-reads and re-validates the file (the registry may
have changed since the dry run) and writes everything in ONE transaction.

XML safety: openpyxl parses with defusedxml automatically when it is importable
(openpyxl.xml.DEFUSEDXML; its iterparse/fromstring then come from defusedxml, so DTDs
and entity expansion are refused). We pin defusedxml and refuse to parse at all if
openpyxl did not pick it up (e.g. OPENPYXL_DEFUSEDXML=False in the environment);
tests/enterprises/test_enterprise_import.py proves an entity bomb is rejected.

Commit path: bulk, not create_enterprise() per row. Per row, create_enterprise costs
~15 queries (full_clean uniqueness checks, an audit append under the advisory lock,
refresh_supervisor with its own locality lookup, a risk task per row): ~minutes for
50,000 rows. Here a whole file costs a handful of queries per 1,000 rows: new rows are
bulk-inserted with their derived columns filled in (locality supervisor from one
LocalityIndex: a brand-new enterprise can be named by no enclave agreement or level
assignment, so locality is the whole rule; risk computed in-process: it has no filed
hazard sources), a SupervisionChange row per new enterprise records the reason, and
ONE audit event per job summarises the counts. Changed rows are bulk-updated; those
whose location changed go through services.refresh_supervisors (the full rule with
enclaves and levels, audited per enterprise). Row history still comes from the
pghistory triggers, which fire for bulk statements too.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hangzhou_safety.accounts.models import Jurisdiction
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.db.bulk import immediate_constraints

from .codes import normalise_uscc, validate_uscc
from .models import (
    Enterprise,
    ImportJob,
    IndustryClass,
    Sector,
    SpecialOperation,
    StandardisationGrade,
    SupervisionBasis,
    SupervisionChange,
    bigrams_for,
    search_text_for,
)
from .risk import compute_risk, filed_hazard_levels
from .supervision import LocalityIndex

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# Above this many data rows the work runs in a Celery task with a progress bar.
INLINE_ROW_LIMIT = 500
PROGRESS_EVERY = 100
# A zip bomb: 5 MB compressed may inflate to gigabytes; no honest sheet of 50,000
# rows comes near this.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# The job keeps this many row errors; the count of invalid rows is still exact.
MAX_STORED_ERRORS = 2000
XLSX_SIGNATURE = b"PK\x03\x04"
HEADER_SCAN_ROWS = 5

# (header, field key). The street column accepts a code or a name (see _resolve_street).
COLUMNS: list[tuple[str, str]] = [
    ("单位名称", "name"),
    ("统一社会信用代码", "uscc"),
    ("法定代表人", "legal_representative"),
    ("主要负责人", "principal_name"),
    ("主要负责人电话", "principal_phone"),
    ("安全管理人员", "safety_manager_name"),
    ("联系电话", "contact_phone"),
    ("生产经营地址", "address"),
    ("所在街道（乡镇）", "location"),
    ("行业代码", "industry"),
    ("监管行业", "sector"),
    ("从业人数", "employees"),
    ("安全生产标准化等级", "standardisation_grade"),
    ("经营状态", "status"),
    ("重点作业", "special_operations"),
    ("是否规模以上", "above_designated_size"),
]
HEADERS = [h for h, _ in COLUMNS]
FIELD_LABELS = {key: header for header, key in COLUMNS}
HEADER_ALIASES = {
    "所在街道（乡镇）代码": "location", "所在街道（乡镇）名称": "location",
    "所在街道": "location", "所在乡镇": "location", "街道代码": "location",
    "统一社会信用代码（18位）": "uscc", "国民经济行业代码": "industry",
    "安全管理人员姓名": "safety_manager_name", "单位联系电话": "contact_phone",
}
# Fields compared (and written) for idempotency: a re-import that differs in none of
# them is "unchanged".
DATA_FIELDS = [key for _, key in COLUMNS if key != "uscc"]
FREE_TEXT_FIELDS = ["name", "legal_representative", "principal_name", "principal_phone",
                    "safety_manager_name", "contact_phone", "address"]
MAX_LENGTHS: dict[str, int] = {
    f.name: int(getattr(f, "max_length", 0) or 0) for f in Enterprise._meta.concrete_fields
    if getattr(f, "max_length", None) and f.name in FREE_TEXT_FIELDS}

GRADES = {"一级": StandardisationGrade.GRADE_1, "二级": StandardisationGrade.GRADE_2,
          "三级": StandardisationGrade.GRADE_3, "无": StandardisationGrade.NONE,
          "未达标": StandardisationGrade.NONE, "": StandardisationGrade.NONE}
STATUSES = {"在营": Enterprise.Status.OPERATING, "停产": Enterprise.Status.SUSPENDED,
            "注销": Enterprise.Status.DEREGISTERED, "": Enterprise.Status.OPERATING}
YES_NO = {"是": True, "否": False, "": False}
LIST_SPLIT = re.compile(r"[,，、;；\s]+")


class ImportFileError(InvalidInput):
    """The file as a whole is unacceptable (type, size, headers, rows)."""

    code = "import_file_invalid"


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class Validated:
    """The outcome of reading and validating a whole file."""

    total_rows: int = 0
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    invalid_rows: int = 0


def _ensure_defusedxml() -> None:
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise ImportFileError("服务器未启用安全的 XML 解析（defusedxml），暂不能导入 .xlsx 文件。",
                              "openpyxl is not using defusedxml; refusing to parse xlsx.")


# --- Storing the upload ----------------------------------------------------------------

def import_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    raise ImportFileError("只接受 .xlsx 或 .csv 文件。", "Only .xlsx or .csv files are accepted.")


def store_upload(uploaded: Any) -> tuple[str, str, str]:
    """Check and store an uploaded file. Returns (file_name, stored path, sha256)."""
    name = Path(str(uploaded.name or "")).name[:255]
    kind = _kind_of(name)
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
    if kind == "xlsx":
        # The extension is only a claim: an .xlsx is a zip archive.
        if not data.startswith(XLSX_SIGNATURE) or not zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportFileError("文件内容不是有效的 .xlsx 表格（可能只是改了扩展名）。",
                                  "The content is not an xlsx (zip) file.")
    elif data.startswith(XLSX_SIGNATURE) or b"\x00" in data[:4096]:
        raise ImportFileError("文件内容不是文本格式的 .csv。", "The content is not a text CSV.")
    path = import_dir() / f"{uuid.uuid4().hex}.{kind}"
    path.write_bytes(data)
    return name, str(path), digest.hexdigest()


# --- Reading rows ------------------------------------------------------------------------

def _normalise_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("(", "（").replace(")", "）")
    return "".join(text.split())


def _map_headers(raw: list[Any]) -> dict[int, str]:
    known = dict(COLUMNS) | HEADER_ALIASES
    mapping: dict[int, str] = {}
    for index, header in enumerate(raw):
        key = known.get(_normalise_header(header))
        if key and key not in mapping.values():
            mapping[index] = key
    missing = [FIELD_LABELS[k] for k in ("name", "uscc", "location")
               if k not in mapping.values()]
    if missing:
        raise ImportFileError(
            f"表头缺少必需的列：{'、'.join(missing)}。请使用页面提供的导入模板。",
            f"Missing required columns: {', '.join(missing)}.")
    return mapping


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


RawRow = tuple[int, dict[str, str], list[RowError]]


def _xlsx_rows(path: str) -> Iterator[list[Any]]:
    """Rows of the first sheet as cells (read-only, formulas NOT evaluated)."""
    _ensure_defusedxml()
    with zipfile.ZipFile(path) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise ImportFileError("表格解压后过大，已拒绝。", "Uncompressed size too large.")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, ...)
        raise ImportFileError("无法读取该 .xlsx 文件，文件可能已损坏或含有不安全的内容。",
                              f"Unreadable xlsx: {type(exc).__name__}") from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows()
    except ImportFileError:
        raise
    except Exception as exc:  # defusedxml refusals surface while iterating
        raise ImportFileError("无法读取该 .xlsx 文件，文件可能已损坏或含有不安全的内容。",
                              f"Unreadable xlsx: {type(exc).__name__}") from exc
    finally:
        workbook.close()


def _decode_csv(path: str) -> str:
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


def iter_raw_rows(path: str) -> Iterator[RawRow]:
    """Yield (row number as the user sees it, {field: text}, formula errors) for every
    non-empty data row. Raises ImportFileError for file-level problems."""
    if path.endswith(".xlsx"):
        cells_iter = _xlsx_rows(path)
        is_xlsx = True
    else:
        cells_iter = iter(csv.reader(io.StringIO(_decode_csv(path), newline="")))
        is_xlsx = False
    mapping: dict[int, str] | None = None
    data_rows = 0
    scanned = 0
    for row_no, cells in enumerate(cells_iter, start=1):
        values = [getattr(c, "value", None) for c in cells] if is_xlsx else list(cells)
        if mapping is None:
            if all(_cell_text(v) == "" for v in values):
                continue
            # A district's own sheet often has a title row (merged cells) above the
            # header: look for the header among the first few non-empty rows.
            scanned += 1
            try:
                mapping = _map_headers(values)
            except ImportFileError:
                if scanned >= HEADER_SCAN_ROWS:
                    raise
            continue
        record: dict[str, str] = {}
        formula_errors: list[RowError] = []
        for index, key in mapping.items():
            if index >= len(values):
                continue
            cell = cells[index] if is_xlsx else None
            value = values[index]
            is_formula = (getattr(cell, "data_type", None) == "f"
                          or (isinstance(value, str) and value.startswith("=")))
            if is_formula:
                formula_errors.append(RowError(
                    row_no, key,
                    f"“{FIELD_LABELS[key]}”含有公式，导入不接受公式，请粘贴为数值后重试。"))
                record[key] = ""
                continue
            record[key] = _cell_text(value)
        if not any(record.values()) and not formula_errors:
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise ImportFileError(f"数据超过 {MAX_ROWS} 行，请拆分后再导入。",
                                  f"More than {MAX_ROWS} data rows.")
        yield row_no, record, formula_errors
    if mapping is None:
        if scanned:
            _map_headers([])  # raises the "missing columns" message
        raise ImportFileError("文件中没有表头行。请使用页面提供的导入模板。",
                              "No header row found.")


def estimate_rows(path: str) -> int:
    """A cheap count of data rows to decide inline vs task (exact count comes later)."""
    if path.endswith(".xlsx"):
        _ensure_defusedxml()
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
            max_row = workbook.worksheets[0].max_row
            workbook.close()
        except Exception as exc:
            raise ImportFileError("无法读取该 .xlsx 文件，文件可能已损坏或含有不安全的内容。",
                                  f"Unreadable xlsx: {type(exc).__name__}") from exc
        # Some writers record no dimension, or just "A1": count those by reading.
        if max_row is not None and max_row > 1:
            if max_row - 1 > MAX_ROWS:
                raise ImportFileError(f"数据超过 {MAX_ROWS} 行，请拆分后再导入。",
                                      f"More than {MAX_ROWS} data rows.")
            return max(max_row - 1, 0)
    return sum(1 for _ in iter_raw_rows(path))


# --- Validation ----------------------------------------------------------------------------

class Lookups:
    """Reference data loaded once per file, never once per row."""

    def __init__(self, user: Any) -> None:
        street_kinds = [Jurisdiction.Kind.STREET, Jurisdiction.Kind.TOWN,
                        Jurisdiction.Kind.TOWNSHIP]
        streets = list(Jurisdiction.objects.filter(kind__in=street_kinds)
                       .select_related("parent"))
        scope = user_scope_path(user)
        self.visible_ids = {s.pk for s in streets
                            if scope is not None and s.path.startswith(scope)}
        self.by_code = {s.code: s for s in streets}
        self.by_full_name: dict[str, list[Jurisdiction]] = {}
        self.by_name: dict[str, list[Jurisdiction]] = {}
        for street in streets:
            self.by_name.setdefault(street.name, []).append(street)
            district = street.district
            if district is not None:
                self.by_full_name.setdefault(district.name + street.name, []).append(street)
        self.industries = set(IndustryClass.objects.values_list("code", flat=True))
        self.sectors: dict[str, str] = {}
        for value, label in Sector.choices:
            self.sectors[str(label)] = value
            self.sectors[str(label).split("·")[-1]] = value
            self.sectors[value] = value
        self.special_ops = {str(label): value for value, label in SpecialOperation.choices}

    def resolve_street(self, text: str) -> tuple[Jurisdiction | None, str]:
        compact = "".join(text.split())
        if compact in self.by_code:
            candidates = [self.by_code[compact]]
        else:
            candidates = self.by_full_name.get(compact) or self.by_name.get(compact) or []
        if not candidates:
            return None, f"未知的街道（乡镇）：{text}"
        visible = [c for c in candidates if c.pk in self.visible_ids]
        if not visible:
            return None, f"街道（乡镇）“{text}”不在您的管辖范围内"
        if len(visible) > 1:
            return None, (f"街道（乡镇）名称“{text}”在您的辖区内不唯一，"
                          "请填写“区县+街道”全称或街道代码")
        return visible[0], ""


def validate_record(row_no: int, record: dict[str, str],
                    lookups: Lookups) -> tuple[dict[str, Any] | None, list[RowError]]:
    """One row's text → field values for Enterprise, or its errors (all of them)."""
    errors: list[RowError] = []
    data: dict[str, Any] = {}

    def err(key: str, message: str) -> None:
        errors.append(RowError(row_no, key, message))

    name = record.get("name", "")
    if not name:
        err("name", "单位名称不能为空")
    data["name"] = name
    raw_code = record.get("uscc", "")
    code = normalise_uscc(raw_code)
    if not code:
        err("uscc", "统一社会信用代码不能为空")
    else:
        try:
            validate_uscc(code)
        except Exception as exc:  # django ValidationError carries the Chinese message
            message = getattr(exc, "messages", [str(exc)])[0]
            err("uscc", f"{message}（{raw_code}）")
    data["uscc"] = code
    for key in ("legal_representative", "principal_name", "principal_phone",
                "safety_manager_name", "contact_phone", "address"):
        data[key] = record.get(key, "")
    for key in FREE_TEXT_FIELDS:
        limit = MAX_LENGTHS.get(key)
        if limit and len(record.get(key, "")) > limit:
            err(key, f"“{FIELD_LABELS[key]}”超过 {limit} 个字符")
    street_text = record.get("location", "")
    if not street_text:
        err("location", "所在街道（乡镇）不能为空")
        data["location"] = None
    else:
        street, message = lookups.resolve_street(street_text)
        if street is None:
            err("location", message)
        data["location"] = street
    industry = record.get("industry", "")
    if industry and industry not in lookups.industries:
        err("industry", f"未知的行业代码（GB/T 4754-2017）：{industry}")
    data["industry"] = industry or None
    sector_text = record.get("sector", "")
    if not sector_text:
        data["sector"] = Sector.OTHER
    elif sector_text in lookups.sectors:
        data["sector"] = lookups.sectors[sector_text]
    else:
        err("sector", f"未知的监管行业：{sector_text}")
    employees = record.get("employees", "").replace(",", "")
    if not employees:
        data["employees"] = 0
    elif employees.isdigit():
        data["employees"] = int(employees)
    else:
        err("employees", f"从业人数应为非负整数：{employees}")
    grade = record.get("standardisation_grade", "")
    if grade in GRADES:
        data["standardisation_grade"] = GRADES[grade]
    else:
        err("standardisation_grade", f"安全生产标准化等级应为 一级/二级/三级/无：{grade}")
    status = record.get("status", "")
    if status in STATUSES:
        data["status"] = STATUSES[status]
    else:
        err("status", f"经营状态应为 在营/停产/注销：{status}")
    ops: list[str] = []
    for label in filter(None, LIST_SPLIT.split(record.get("special_operations", ""))):
        if label in lookups.special_ops:
            if lookups.special_ops[label] not in ops:
                ops.append(lookups.special_ops[label])
        else:
            err("special_operations", f"未知的重点作业：{label}")
    data["special_operations"] = sorted(ops)
    above = record.get("above_designated_size", "")
    if above in YES_NO:
        data["above_designated_size"] = YES_NO[above]
    else:
        err("above_designated_size", f"是否规模以上应填 是 或 否：{above}")
    return (None if errors else data), errors


def validate_file(path: str, user: Any, *, progress: Any = None) -> Validated:
    """Read and validate every row. `progress(n)` is called every PROGRESS_EVERY rows."""
    lookups = Lookups(user)
    result = Validated()
    first_row_of: dict[str, int] = {}
    pending: list[tuple[int, dict[str, Any]]] = []
    for row_no, record, formula_errors in iter_raw_rows(path):
        result.total_rows += 1
        data, errors = validate_record(row_no, record, lookups)
        errors = formula_errors + errors
        code = normalise_uscc(record.get("uscc", ""))
        if code:
            if code in first_row_of:
                errors.append(RowError(row_no, "uscc",
                                       f"统一社会信用代码与第 {first_row_of[code]} 行重复"))
            else:
                first_row_of[code] = row_no
        if errors or data is None:
            result.invalid_rows += 1
            result.errors.extend(errors)
        else:
            pending.append((row_no, data))
        if progress is not None and result.total_rows % PROGRESS_EVERY == 0:
            progress(result.total_rows)
    _check_existing_in_scope(pending, user, result)
    return result


def _check_existing_in_scope(pending: list[tuple[int, dict[str, Any]]], user: Any,
                             result: Validated) -> None:
    """An existing enterprise with the same code outside the user's jurisdiction must
    not be overwritten (nor revealed beyond "exists elsewhere")."""
    codes = [d["uscc"] for _, d in pending]
    foreign: set[str] = set()
    for start in range(0, len(codes), 5000):
        chunk = codes[start:start + 5000]
        existing = {str(c) for c in Enterprise.objects.filter(uscc__in=chunk)
                    .values_list("uscc", flat=True)}
        visible = {str(c) for c in Enterprise.objects.visible_to(user).filter(uscc__in=chunk)
                   .values_list("uscc", flat=True)}
        foreign |= existing - visible
    for row_no, data in pending:
        if data["uscc"] in foreign:
            result.invalid_rows += 1
            result.errors.append(RowError(
                row_no, "uscc", "该统一社会信用代码已登记为您管辖范围以外的单位，不能导入"))
        else:
            result.valid.append((row_no, data))


# --- Jobs ------------------------------------------------------------------------------------

def jobs_visible_to(user: Any) -> Any:
    """Jobs of users within the caller's jurisdiction (the municipal level sees all)."""
    path = user_scope_path(user)
    if path is None:
        return ImportJob.objects.none()
    if path == "":
        return ImportJob.objects.all()
    return ImportJob.objects.filter(
        Q(created_by=user) | Q(created_by__authority__jurisdiction__path__startswith=path))


def create_dry_run(uploaded: Any, *, actor: Any) -> ImportJob:
    """Store the upload and create its dry-run job (run it with start_job)."""
    name, path, sha = store_upload(uploaded)
    try:
        total = estimate_rows(path)
    except ImportFileError:
        Path(path).unlink(missing_ok=True)
        raise
    return ImportJob.objects.create(created_by=actor, file_name=name, file_path=path,
                                    file_sha256=sha, mode=ImportJob.Mode.DRY_RUN,
                                    total_rows=total)


def create_commit(dry_run: ImportJob, mode: str, *, actor: Any) -> ImportJob:
    """A commit job for a finished dry run. "all" is refused when the dry run found errors."""
    if mode not in (ImportJob.Mode.ALL_OR_NOTHING, ImportJob.Mode.VALID_ONLY):
        raise InvalidInput("导入方式无效。", "Unknown import mode.")
    if dry_run.mode != ImportJob.Mode.DRY_RUN or dry_run.status != ImportJob.Status.DONE:
        raise DomainError("请先完成试导入（校验），再确认导入。",
                          "Only a finished dry run can be committed.")
    if mode == ImportJob.Mode.ALL_OR_NOTHING and dry_run.errors:
        raise DomainError(
            f"试导入发现 {dry_run.total_rows - dry_run.valid_rows} 行有错误，不能全部导入。"
            "请修正文件后重新上传，或选择“仅导入有效行”。",
            "The dry run found errors; an all-or-nothing import is refused.",
            code="import_has_errors")
    if mode == ImportJob.Mode.VALID_ONLY and dry_run.valid_rows == 0:
        raise DomainError("没有可导入的有效行。", "No valid rows to import.",
                          code="import_nothing_valid")
    with transaction.atomic():
        # Serialise commits of one file: a double click must not start two imports.
        ImportJob.objects.select_for_update().get(pk=dry_run.pk)
        if ImportJob.objects.filter(
                file_path=dry_run.file_path,
                status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING],
        ).exclude(mode=ImportJob.Mode.DRY_RUN).exists():
            raise DomainError("该文件正在导入中，请等待完成。",
                              "An import of this file is already running.",
                              code="import_in_progress")
        return ImportJob.objects.create(created_by=actor, file_name=dry_run.file_name,
                                        file_path=dry_run.file_path,
                                        file_sha256=dry_run.file_sha256, mode=mode,
                                        total_rows=dry_run.total_rows)


def runs_in_background(job: ImportJob) -> bool:
    return job.total_rows > INLINE_ROW_LIMIT


def start_job(job: ImportJob) -> None:
    """Small files inline (the page shows the result at once); large ones in a task,
    enqueued after commit so the worker sees the job row."""
    if runs_in_background(job):
        from .tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.delay(job.pk))
    else:
        run_job(job.pk)


def _set_progress(job_id: int, processed: int) -> None:
    # Conditional: a redelivered task never moves the bar backwards, and a finished
    # job is never touched again.
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING,
                             processed_rows__lt=processed).update(processed_rows=processed)


def _fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.FAILED, message=message[:255], finished_at=timezone.now())


def run_job(job_id: int) -> ImportJob | None:
    """Validate (dry run) or validate and commit. Idempotent: a finished job is left as
    it is; a re-run of an interrupted one starts over (the commit is all-or-nothing)."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING],
    ).update(status=ImportJob.Status.RUNNING)
    if not claimed:
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = job.created_by
    try:
        result = validate_file(job.file_path, actor,
                               progress=lambda n: _set_progress(job_id, n))
    except ImportFileError as exc:
        _fail(job_id, exc.detail)
        return ImportJob.objects.get(pk=job_id)
    except OSError:
        _fail(job_id, "上传的文件已不存在，请重新上传。")
        return ImportJob.objects.get(pk=job_id)
    errors = [e.as_dict() for e in sorted(result.errors, key=lambda e: e.row)]
    summary = {"total_rows": result.total_rows, "processed_rows": result.total_rows,
               "valid_rows": len(result.valid), "errors": errors[:MAX_STORED_ERRORS]}
    if len(errors) > MAX_STORED_ERRORS:
        summary["message"] = f"错误过多，仅显示前 {MAX_STORED_ERRORS} 条。"
    if job.mode == ImportJob.Mode.DRY_RUN:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.DONE, finished_at=timezone.now(), **summary)
        return ImportJob.objects.get(pk=job_id)
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING and result.errors:
        ImportJob.objects.filter(pk=job_id).update(
            **summary, status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            message=(f"文件中有 {result.invalid_rows} 行错误，已按“全部导入”要求拒绝，"
                     "未写入任何数据。"))
        return ImportJob.objects.get(pk=job_id)
    try:
        commit_rows(job_id, result.valid, actor=actor, summary=summary)
    except IntegrityError:
        # A concurrent import or edit took a credit code between validation and insert:
        # the transaction rolled back whole; nothing was written.
        _fail(job_id, "导入时数据已被他人修改（统一社会信用代码冲突），未写入任何数据，"
                      "请重新导入。")
    except Exception:
        # Rolled back whole; the page must not poll a "running" job forever.
        _fail(job_id, "导入过程中发生内部错误，未写入任何数据。请联系管理员。")
        raise
    return ImportJob.objects.get(pk=job_id)


def _fill_derived(enterprise: Enterprise) -> None:
    """The columns Enterprise.save() derives, for rows written with bulk statements."""
    from .models import HIGH_RISK_SECTORS

    enterprise.is_high_risk = enterprise.sector in HIGH_RISK_SECTORS
    enterprise.location_path = enterprise.location.path if enterprise.location_id else ""
    enterprise.search_text = search_text_for(enterprise.name, enterprise.uscc)
    enterprise.search_bigrams = bigrams_for(enterprise.name)


def _apply_risk(enterprise: Enterprise, hazard_levels: list[int]) -> None:
    result = compute_risk(enterprise, hazard_levels)
    enterprise.risk_score = result.score
    enterprise.risk_level = result.level
    enterprise.risk_explanation = result.explanation
    enterprise.risk_computed_at = timezone.now()


def _differs(current: Enterprise, data: dict[str, Any]) -> list[str]:
    changed = []
    for key in DATA_FIELDS:
        new = data[key]
        if key == "location":
            old: Any = current.location_id
            new = new.pk if new is not None else None
        elif key == "industry":
            old = current.industry_id
        elif key == "special_operations":
            old, new = sorted(current.special_operations or []), sorted(new)
        else:
            old = getattr(current, key)
        if old != new:
            changed.append(key)
    return changed


@transaction.atomic
def commit_rows(job_id: int, rows: list[tuple[int, dict[str, Any]]], *, actor: Any,
                summary: dict[str, Any]) -> None:
    """Write valid rows: create new, update changed, skip unchanged. ONE transaction."""
    from .services import RISK_INPUTS, refresh_supervisors
    # Up to 50,000 rows in one transaction: deferred foreign-key events would make the
    # load quadratic (see hangzhou_safety.db.bulk).
    immediate_constraints()

    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status == ImportJob.Status.DONE:
        return  # a redelivered task after a finished commit
    by_code = {data["uscc"]: data for _, data in rows}
    existing: dict[str, Enterprise] = {}
    codes = list(by_code)
    for start in range(0, len(codes), 5000):
        for enterprise in (Enterprise.objects.select_for_update(of=("self",))
                           .filter(uscc__in=codes[start:start + 5000])):
            existing[enterprise.uscc or ""] = enterprise
    locality = LocalityIndex()
    now = timezone.now()
    to_create: list[Enterprise] = []
    to_update: list[Enterprise] = []
    update_fields: set[str] = set()
    relocated: list[int] = []
    unchanged = 0
    for code, data in by_code.items():
        current = existing.get(code)
        if current is None:
            enterprise = Enterprise(
                **{k: v for k, v in data.items() if k != "industry"},
                industry_id=data["industry"], created_at=now, updated_at=now)
            _fill_derived(enterprise)
            authority = locality.authority_for(enterprise.location)
            enterprise.supervising_authority = authority
            enterprise.supervision_basis = SupervisionBasis.LOCALITY if authority else ""
            enterprise.supervisor_path = authority.jurisdiction.path if authority else ""
            _apply_risk(enterprise, [])
            to_create.append(enterprise)
            continue
        changed = _differs(current, data)
        if not changed:
            unchanged += 1
            continue
        for key in changed:
            if key == "industry":
                current.industry_id = data["industry"]
            else:
                setattr(current, key, data[key])
        _fill_derived(current)
        current.updated_at = now
        update_fields |= set(changed)
        if RISK_INPUTS & set(changed):
            _apply_risk(current, filed_hazard_levels(current.pk))
            update_fields |= {"risk_score", "risk_level", "risk_explanation",
                              "risk_computed_at"}
        if "location" in changed:
            relocated.append(current.pk)
        to_update.append(current)
    Enterprise.objects.bulk_create(to_create, batch_size=1000)
    SupervisionChange.objects.bulk_create(
        [SupervisionChange(enterprise=e, old_authority=None,
                           new_authority=e.supervising_authority,
                           basis=e.supervision_basis,
                           reason=f"批量导入新建单位（导入任务 {job_id}），按属地确定监管主体")
         for e in to_create if e.supervising_authority_id], batch_size=1000)
    if to_update:
        fields = update_fields | {"is_high_risk", "location_path", "search_text", "search_bigrams",
                   "updated_at"}
        Enterprise.objects.bulk_update(to_update, sorted(fields), batch_size=1000)
    if relocated:
        # The full rule (enclave agreement > level > locality), audited per enterprise.
        refresh_supervisors(relocated, actor=actor,
                            reason=f"批量导入（任务 {job_id}）变更所在辖区")
    supervisors: dict[str, int] = {}
    for enterprise in to_create:
        code = enterprise.supervising_authority.code if enterprise.supervising_authority \
            else "无"
        supervisors[code] = supervisors.get(code, 0) + 1
    counts = {"created": len(to_create), "updated": len(to_update), "unchanged": unchanged}
    ImportJob.objects.filter(pk=job_id).update(
        **summary, status=ImportJob.Status.DONE, finished_at=timezone.now(),
        created_count=counts["created"], updated_count=counts["updated"],
        unchanged_count=counts["unchanged"])
    job.refresh_from_db()
    # Last write of the transaction: the audit append lock is held briefly.
    record_event("enterprise.bulk_imported", actor=actor, obj=job,
                 new={**counts, "mode": job.mode, "file_name": job.file_name,
                      "file_sha256": job.file_sha256, "rows": summary["total_rows"],
                      "invalid_rows": summary["total_rows"] - summary["valid_rows"],
                      "new_supervisors": supervisors},
                 reason=f"批量导入生产经营单位（{job.get_mode_display()}）")
