"""The import template's columns: the one list that the template download, the
export, the header mapping and the job page's error table agree on.

A column is a (Chinese header, Enterprise field key) pair. Districts keep their own
sheets with slightly different headers, so a few aliases map to the same keys; the
street column accepts a code or a name (validation.Lookups.resolve_street).
"""

from __future__ import annotations

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
# Without these three a row cannot even be matched to an enterprise and a street.
REQUIRED_KEYS = ("name", "uscc", "location")
