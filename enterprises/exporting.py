"""Export of a filtered registry list to .xlsx, and the import template.

Both are written with openpyxl's write_only mode (rows streamed to a temporary file,
constant memory). The export starts with exactly the import template's columns, so an
exported file can be corrected and imported back; extra read-only columns follow.

Formula injection: a spreadsheet application executes a cell that starts with = + - @
(or a tab / carriage return before one). Every string cell is escaped by prefixing a
single quote, which the application shows as text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .importing.columns import HEADERS
from .models import Enterprise, Sector, SpecialOperation, StandardisationGrade

MAX_EXPORT_ROWS = 100_000
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXTRA_HEADERS = ["所在区县", "街道（乡镇）名称", "监管主体", "监管依据", "高危行业", "风险等级",
                 "风险分值"]

GRADE_LABELS: dict[str, str] = {
    StandardisationGrade.GRADE_1: "一级", StandardisationGrade.GRADE_2: "二级",
    StandardisationGrade.GRADE_3: "三级", StandardisationGrade.NONE: "无"}
SPECIAL_OP_LABELS = {value: str(label) for value, label in SpecialOperation.choices}
SECTOR_LABELS = {value: str(label) for value, label in Sector.choices}


def escape_cell(value: Any) -> Any:
    """Neutralise a string a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _header_row(sheet: Any, headers: list[str]) -> list[Any]:
    cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def build_template() -> IO[bytes]:
    """The import template: the Chinese headers; an example row and notes on a second
    sheet (an example on the data sheet would be imported if left in)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("生产经营单位")
    sheet.append(_header_row(sheet, HEADERS))
    notes = workbook.create_sheet("填写说明")
    for line in [
        ["示例行（请在“生产经营单位”工作表中按此格式填写，每个单位一行）："],
        ["杭州某某机械有限公司", "9144030071526726XG", "张三", "李四", "13800000000", "王五",
         "0571-88888888", "杭州市西湖区某某路1号", "西湖区北山街道", "3311", "工贸·机械", 50,
         "三级", "在营", "粉尘涉爆，有限空间作业", "否"],
        ["所在街道（乡镇）：填写 9 位街道代码（如 330106002），或“区县+街道”名称"
         "（如 西湖区北山街道），在您的辖区内唯一时也可只填街道名称。"],
        ["行业代码：GB/T 4754-2017 国民经济行业分类代码。"],
        ["监管行业：" + "、".join(SECTOR_LABELS.values())],
        ["安全生产标准化等级：一级、二级、三级、无。经营状态：在营、停产、注销。"],
        ["重点作业：" + "、".join(SPECIAL_OP_LABELS.values()) + "，多项用逗号分隔。"],
        ["是否规模以上：是 或 否。不接受公式；统一社会信用代码在文件内不得重复。"],
    ]:
        notes.append(line)
    return _save(workbook)


def _save(workbook: Workbook) -> IO[bytes]:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (returned open)
    workbook.save(handle)
    handle.seek(0)
    return handle


def export_rows(enterprises: Iterable[Enterprise]) -> Iterator[list[Any]]:
    for e in enterprises:
        location = e.location
        district = location.parent if location is not None else None
        authority = e.supervising_authority
        row = [
            e.name, e.uscc or "", e.legal_representative, e.principal_name,
            e.principal_phone, e.safety_manager_name, e.contact_phone, e.address,
            location.code if location else "", e.industry_id or "",
            SECTOR_LABELS.get(e.sector, e.sector), e.employees,
            GRADE_LABELS.get(e.standardisation_grade, ""), e.get_status_display(),
            "，".join(SPECIAL_OP_LABELS.get(op, op) for op in e.special_operations),
            "是" if e.above_designated_size else "否",
            district.name if district else "", location.name if location else "",
            authority.name if authority else "", e.get_supervision_basis_display(),
            "是" if e.is_high_risk else "否", e.get_risk_level_display(),
            e.risk_score if e.risk_score is not None else "",
        ]
        yield [escape_cell(value) for value in row]


def export_enterprises(queryset: Any) -> IO[bytes]:
    """Write the queryset (already scoped and filtered by the caller) to an .xlsx."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("生产经营单位")
    sheet.append(_header_row(sheet, HEADERS + EXTRA_HEADERS))
    rows = (queryset.select_related("location__parent", "supervising_authority")
            .order_by("id").iterator(chunk_size=2000))
    for row in export_rows(rows):
        sheet.append(row)
    return _save(workbook)
