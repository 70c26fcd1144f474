"""Validating import rows: each row's text becomes Enterprise field values or Chinese
errors (all of a row's errors at once, so one round of fixing is enough).

Reference data (streets, industry classes, sectors, special operations) is loaded
once per file into Lookups, never once per row. Beyond a single row, validate_file
reports a credit code repeated within the file, and refuses a code already registered
to an enterprise outside the importer's jurisdiction: an import must neither overwrite
nor reveal it beyond "exists elsewhere".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hangzhou_safety.accounts.models import Jurisdiction
from hangzhou_safety.accounts.scoping import user_scope_path

from ..codes import normalise_uscc, validate_uscc
from ..models import (
    Enterprise,
    IndustryClass,
    Sector,
    SpecialOperation,
    StandardisationGrade,
)
from .columns import FIELD_LABELS
from .errors import RowError
from .reading import iter_raw_rows

PROGRESS_EVERY = 100
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


@dataclass
class Validated:
    """The outcome of reading and validating a whole file."""

    total_rows: int = 0
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    invalid_rows: int = 0


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


def validate_file(path: str, user: Any, *,
                  progress: Callable[[int], None] | None = None) -> Validated:
    """Read and validate every row. `progress(n)` is called every PROGRESS_EVERY rows."""
    lookups = Lookups(user)
    result = Validated()
    first_row_of: dict[str, int] = {}
    pending: list[tuple[int, dict[str, Any]]] = []
    for row_no, record, cell_errors in iter_raw_rows(path):
        result.total_rows += 1
        data, errors = validate_record(row_no, record, lookups)
        # A refused cell was read as empty: its own error says why, not "不能为空".
        refused = {e.field for e in cell_errors}
        errors = cell_errors + [e for e in errors if e.field not in refused]
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
