"""The audit log shows actions in words: every action the code records by name has a
label, every status change is named from its workflow, an unknown code shows as code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from hangzhou_safety.audit.services import record_event
from hangzhou_safety.web.audit_labels import ACTION_LABELS, action_label
from hangzhou_safety.workflow import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hangzhou_safety", "enterprises", "inspections", "enforcement", "credit")
#: Action names written out in the code: record_event("x.y", ...), event="x.y",
#: action="x.y" (status changes are named by their workflow instead).
LITERAL = re.compile(r'(?:record_event\(\s*|EventSpec\(\s*|\b(?:event|action)=)"'
                     r'([a-z_]+(?:\.[a-z_]+)+)"')


def _literal_actions() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_action_named_in_the_code_has_words() -> None:
    actions = _literal_actions()
    assert len(actions) > 40  # the scan finds the code's actions
    assert sorted(a for a in actions if a not in ACTION_LABELS) == []


def test_status_changes_are_named_from_their_workflow() -> None:
    assert "plan" in {w.event_prefix for w in REGISTRY.values()}
    with translation.override("zh-hans"):
        assert action_label("plan.returned") == "计划：已退回修改"
    with translation.override("en"):
        assert action_label("plan.returned") == "Plan: Returned for revision"
    # Every registered workflow and status is named.
    for workflow in REGISTRY.values():
        field = workflow.model._meta.get_field(workflow.status_field)
        for status, _label in field.flatchoices:
            label = action_label(f"{workflow.event_prefix}.{status}")
            assert label != f"{workflow.event_prefix}.{status}", (workflow, status)


def test_an_unknown_action_shows_its_code() -> None:
    assert action_label("test.something_new") == "test.something_new"


@pytest.mark.django_db
def test_the_audit_page_shows_words_beside_the_code(web_as, municipal_admin) -> None:
    record_event("auth.login", actor=municipal_admin, obj=municipal_admin)
    page = web_as(municipal_admin).get("/audit/").content.decode()
    assert '<span data-testid="audit-action">登录</span>' in page
    assert "<code class=\"small text-muted\">auth.login</code>" in page
