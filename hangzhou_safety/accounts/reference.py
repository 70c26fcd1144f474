"""Reference data: Hangzhou's jurisdiction tree and its enforcement authorities.

Districts and streets come from the national division codes (DOMAIN.md B14, the
CSV files in data/). Functional zones carry no GB/T 2260 code of their own, so
they get project codes ("<district>Z<nn>"); the list is editable data [K].
The loaders are idempotent and written against the model classes passed in, so
the data migration (historical models) and tests use the same code.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
CITY_CODE = "330100"
CITY_NAME = "杭州市"

# (code, name, parent jurisdiction code). Zones straddling districts hang under the city.
FUNCTIONAL_ZONES = [
    ("3301Z01", "西湖风景名胜区", CITY_CODE),
    ("330108Z01", "杭州高新技术产业开发区", "330108"),
    ("330114Z01", "杭州经济技术开发区", "330114"),
    ("330109Z01", "萧山经济技术开发区", "330109"),
    ("330109Z02", "杭州空港经济区", "330109"),
    ("330110Z01", "杭州未来科技城", "330110"),
    ("330112Z01", "青山湖科技城", "330112"),
]

# Departments that join inspections, at city and district level.
PARTNER_DEPARTMENTS = [
    ("HS", "housing", "住房和城乡建设局", "住房和城乡建设局"),
    ("MK", "market", "市场监督管理局", "市场监督管理局"),
    ("FR", "fire", "消防救援支队", "消防救援大队"),
    ("HE", "health", "卫生健康委员会", "卫生健康局"),
]


def _street_kind(name: str) -> str:
    if name.endswith("街道"):
        return "street"
    if name.endswith("乡"):
        return "township"
    return "town"


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_jurisdictions(Jurisdiction: Any) -> int:
    """Create or update the whole tree; returns the number of nodes."""
    nodes: dict[str, Any] = {}

    def upsert(code: str, name: str, kind: str, parent: Any) -> Any:
        path = (parent.path if parent is not None else "") + f"{code}/"
        obj, _ = Jurisdiction.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": parent, "path": path})
        nodes[code] = obj
        return obj

    city = upsert(CITY_CODE, CITY_NAME, "city", None)
    for row in _read_csv("hangzhou-districts.csv"):
        upsert(row["code"], row["name"], "district", city)
    for row in _read_csv("hangzhou-streets.csv"):
        upsert(row["code"], row["name"], _street_kind(row["name"]), nodes[row["district_code"]])
    for code, name, parent_code in FUNCTIONAL_ZONES:
        upsert(code, name, "zone", nodes[parent_code])
    return len(nodes)


def load_authorities(Jurisdiction: Any, Authority: Any) -> int:
    """One authority per enforcing body, plus partner departments. Idempotent."""
    count = 0

    def upsert(code: str, **fields: Any) -> Any:
        nonlocal count
        count += 1
        obj, _ = Authority.objects.update_or_create(code=code, defaults=fields)
        return obj

    city = Jurisdiction.objects.get(code=CITY_CODE)
    bureau = upsert("EM-330100", name="杭州市应急管理局", short_name="市应急管理局",
                    kind="municipal_bureau", department="emergency", jurisdiction=city,
                    parent=None, enforces_safety=True)
    for prefix, department, city_suffix, _district_suffix in PARTNER_DEPARTMENTS:
        upsert(f"{prefix}-330100", name=f"杭州市{city_suffix}", short_name=f"市{city_suffix}",
               kind="partner_department", department=department, jurisdiction=city,
               parent=None, enforces_safety=False)

    districts = Jurisdiction.objects.filter(kind="district").order_by("code")
    district_bureaus = {}
    for district in districts:
        district_bureaus[district.code] = upsert(
            f"EM-{district.code}", name=f"杭州市{district.name}应急管理局",
            short_name=f"{district.name}应急管理局", kind="district_bureau",
            department="emergency", jurisdiction=district, parent=bureau, enforces_safety=True)
        for prefix, department, _city_suffix, district_suffix in PARTNER_DEPARTMENTS:
            upsert(f"{prefix}-{district.code}", name=f"杭州市{district.name}{district_suffix}",
                   short_name=f"{district.name}{district_suffix}", kind="partner_department",
                   department=department, jurisdiction=district, parent=None,
                   enforces_safety=False)

    office_suffix = {"street": "办事处", "town": "人民政府", "township": "人民政府"}
    for node in Jurisdiction.objects.filter(kind__in=office_suffix).select_related("parent"):
        upsert(f"ST-{node.code}", name=f"{node.parent.name}{node.name}{office_suffix[node.kind]}",
               short_name=node.name, kind="street_office", department="local_government",
               jurisdiction=node, parent=district_bureaus[node.parent.code],
               enforces_safety=True)
    for node in Jurisdiction.objects.filter(kind="zone").select_related("parent"):
        parent = district_bureaus.get(node.parent.code, bureau)
        upsert(f"ZN-{node.code}", name=f"{node.name}管理委员会", short_name=node.name,
               kind="zone_committee", department="zone", jurisdiction=node, parent=parent,
               enforces_safety=True)
    return count
