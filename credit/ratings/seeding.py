"""The default rule table, shared by the migration and a test fixture (re-seeded after
a flush). An illustrative default: the bureau edits it."""

from __future__ import annotations

from typing import Any

SOURCE = ("本局设定（示例，可由市级管理员修改）。DOMAIN.md B6：安委〔2014〕8号以安全生产标准化"
          "等级作为诚信等级 [P]；多地采用A/B/C/D四级 [S: 衡阳例]；不良记录、违背承诺作为降级"
          "因素 [P]。条件阈值为示例，非法定标准。")

#: The accident rows (migration credit 0006 adds them to a table seeded before): a major
#: accident (重大 or 特别重大, 生产安全事故报告和调查处理条例第三条 [S]) gives D at once; any
#: accident of the year gives C at the annual computation. Illustrative, like the rest.
ACCIDENT_RULES: tuple[dict[str, Any], ...] = (
    {"rank": 5, "level": "D", "match": "any", "immediate": True,
     "description": "年度发生重大及以上生产安全事故（即时降级）",
     "conditions": [{"input": "worst_accident", "op": "in",
                     "value": ["重大事故", "特别重大事故"]}]},
    {"rank": 15, "level": "C", "match": "any", "description": "年度发生生产安全事故",
     "conditions": [{"input": "accidents", "op": ">=", "value": 1}]},
)

DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    ACCIDENT_RULES[0],
    {"rank": 10, "level": "D", "match": "any",
     "description": "列入严重失信名单或年度违法信息3条以上",
     "conditions": [{"input": "blacklisted", "op": "==", "value": True},
                    {"input": "violations", "op": ">=", "value": 3}]},
    {"rank": 20, "level": "C", "match": "any",
     "description": "有违法信息、违背承诺或挂牌督办重大事故隐患",
     "conditions": [{"input": "violations", "op": ">=", "value": 1},
                    {"input": "broken_commitments", "op": ">=", "value": 1},
                    {"input": "listed_major_hazards", "op": ">=", "value": 1}]},
    ACCIDENT_RULES[1],
    {"rank": 30, "level": "A", "match": "all", "description": "标准化一级或二级且无不良记录",
     "conditions": [{"input": "grade", "op": "in", "value": ["1", "2"]}]},
    {"rank": 40, "level": "B", "match": "all", "description": "其余企业", "conditions": []},
)


def seed_rules(model: Any) -> int:
    """Insert the default rows that are missing (never overwrites edits)."""
    if model.objects.exists():
        return 0
    # Migration 0004's historical model has no ``immediate``: its table gets the accident
    # rows from migration 0006 (seed_accident_rules).
    current = any(f.name == "immediate" for f in model._meta.get_fields())
    rows = [r for r in DEFAULT_RULES if current or r not in ACCIDENT_RULES]
    model.objects.bulk_create([model(source=SOURCE, **row) for row in rows])
    return len(rows)


def seed_accident_rules(model: Any) -> int:
    """Add the accident rows to a table seeded before them, unless a row already reads
    an accident input or holds their rank (the bureau's edits win)."""
    rows = list(model.objects.values_list("rank", "conditions"))
    if not rows or any(c.get("input") in ("accidents", "worst_accident")
                       for _, conditions in rows for c in conditions):
        return 0
    ranks = {rank for rank, _ in rows}
    new = [model(source=SOURCE, **row) for row in ACCIDENT_RULES if row["rank"] not in ranks]
    model.objects.bulk_create(new)
    return len(new)
