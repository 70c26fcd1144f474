"""Evaluating the rule table (RatingRule rows) on one enterprise's inputs, with an
explanation a person can read. Pure: the rows come in as plain dicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .inputs import LABELS

OPS = {
    ">=": lambda have, want: have >= want,
    "<=": lambda have, want: have <= want,
    "==": lambda have, want: have == want,
    "in": lambda have, want: have in want,
}
OP_WORDS = {">=": "≥", "<=": "≤", "==": "=", "in": "属于"}


@dataclass(frozen=True)
class Outcome:
    level: str
    rule: dict[str, Any]
    explanation: list[str]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def check_condition(condition: Mapping[str, Any]) -> None:
    """Raise ValueError for a condition the evaluator cannot read (the admin form and
    the migration check rows with it)."""
    if condition.get("input") not in LABELS:
        raise ValueError(f"unknown input {condition.get('input')!r}")
    if condition.get("op") not in OPS:
        raise ValueError(f"unknown operator {condition.get('op')!r}")
    if "value" not in condition:
        raise ValueError("a condition needs a value")


def evaluate(inputs: Mapping[str, Any], rules: Sequence[Mapping[str, Any]]) -> Outcome:
    """The level of the first rule (by rank) whose conditions hold."""
    for rule in sorted(rules, key=lambda r: r["rank"]):
        met: list[str] = []
        unmet: list[str] = []
        for c in rule["conditions"]:
            check_condition(c)
            have = inputs.get(c["input"])
            words = (f"{LABELS[c['input']]}：{_shown(have)}"
                     f"（规则：{OP_WORDS[c['op']]}{_shown(c['value'])}）")
            (met if have is not None and OPS[c["op"]](have, c["value"]) else unmet).append(words)
        holds = (bool(met) if rule["match"] == "any" else not unmet) if rule["conditions"] \
            else True
        if holds:
            why = met if rule["conditions"] else ["未触发更低等级的任何条件"]
            facts = [f"{LABELS[k]}：{_shown(v)}" for k, v in inputs.items() if k in LABELS]
            return Outcome(rule["level"], dict(rule),
                           [f"依据规则“{rule['description']}”评为{rule['level']}级：",
                            *why, "评定数据：", *facts])
    raise ValueError("no rating rule applies: the table needs a default row")
