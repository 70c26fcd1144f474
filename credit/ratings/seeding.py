"""The default rule table, shared by the migration and a test fixture (re-seeded after
a flush). An illustrative default: the bureau edits it."""

from __future__ import annotations

from typing import Any

SOURCE = ("本局设定（示例，可由市级管理员修改）。DOMAIN.md B6：安委〔2014〕8号以安全生产标准化"
          "等级作为诚信等级 [P]；多地采用A/B/C/D四级 [S: 衡阳例]；不良记录、违背承诺作为降级"
          "因素 [P]。条件阈值为示例，非法定标准。")

DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {"rank": 10, "level": "D", "match": "any",
     "description": "列入严重失信名单或年度违法信息3条以上",
     "conditions": [{"input": "blacklisted", "op": "==", "value": True},
                    {"input": "violations", "op": ">=", "value": 3}]},
    {"rank": 20, "level": "C", "match": "any",
     "description": "有违法信息、违背承诺或挂牌督办重大事故隐患",
     "conditions": [{"input": "violations", "op": ">=", "value": 1},
                    {"input": "broken_commitments", "op": ">=", "value": 1},
                    {"input": "listed_major_hazards", "op": ">=", "value": 1}]},
    {"rank": 30, "level": "A", "match": "all", "description": "标准化一级或二级且无不良记录",
     "conditions": [{"input": "grade", "op": "in", "value": ["1", "2"]}]},
    {"rank": 40, "level": "B", "match": "all", "description": "其余企业", "conditions": []},
)


def seed_rules(model: Any) -> int:
    """Insert the default rows that are missing (never overwrites edits)."""
    if model.objects.exists():
        return 0
    model.objects.bulk_create([model(source=SOURCE, **row) for row in DEFAULT_RULES])
    return len(DEFAULT_RULES)
