"""GB/T 4754-2017 industry classes, loaded from data/gbt4754-2017.csv (reference data)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "gbt4754-2017.csv"

# Known errors in the source file, corrected here so the file stays as received:
# 飞机制造 is 小类 3741 in GB/T 4754-2017, but the file lists it as a second 中类 374.
CORRECTIONS = {("3", "374", "飞机制造"): ("4", "3741")}


def load_industry_classes(IndustryClass: Any) -> int:
    with open(DATA, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(IndustryClass.objects.values_list("code", flat=True))
    parents: dict[int, str] = {}
    objs = []
    for row in rows:
        fixed = CORRECTIONS.get((row["level"], row["code"], row["name"]))
        if fixed:
            row = {**row, "level": fixed[0], "code": fixed[1]}
        level = int(row["level"])
        parents[level] = row["code"]
        parent = parents.get(level - 1) if level > 1 else None
        if row["code"] not in existing:
            objs.append(IndustryClass(code=row["code"], name=row["name"], level=level,
                                      parent_id=parent))
    # Parents precede children in the file, so one ordered bulk insert is safe.
    IndustryClass.objects.bulk_create(objs, batch_size=1000)
    return len(rows)
