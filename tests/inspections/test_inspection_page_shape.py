"""The inspection page shaped for a phone: a sticky progress bar with the saved counts
and a link to the next unanswered item, photos and signatures reachable from the top,
and a summary with a confirmation before 完成检查 (the live updates are in the
Playwright filing test)."""
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from inspections.loop import services as loop
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db


def _page(web_as, user, inspection) -> str:
    answer = web_as(user).get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def _number(html: str, key: str) -> int:
    found = re.search(rf'data-progress="{key}">(\d+)<', html)
    assert found, key
    return int(found.group(1))


def test_progress_bar_counts_saved_answers_and_points_at_the_next_one(
        web_as, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    items = list(inspection.items.order_by("order"))
    loop.record_answer(inspection, items[0].pk, actor=xihu_inspector, result="compliant")
    loop.record_answer(inspection, items[1].pk, actor=xihu_inspector,
                       result="not_applicable")
    html = _page(web_as, xihu_inspector, inspection)
    assert 'data-testid="progress-bar"' in html and "sticky-top" in html
    assert _number(html, "answered") == 2
    assert _number(html, "pending") == len(items) - 2
    assert f'href="#item-{items[2].pk}" data-testid="next-pending"' in html
    # Photos and signatures from the top of the page, not only below the checklist.
    top = html.index('data-testid="progress-bar"')
    assert html.index('data-testid="top-evidence-link"') < top
    assert html.index('data-testid="top-sign-link"') < top


def test_complete_is_confirmed_after_a_summary(web_as, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    items = list(inspection.items.order_by("order"))
    for n, item in enumerate(items):
        loop.record_answer(inspection, item.pk, actor=xihu_inspector,
                           result="non_compliant" if n < 2 else "compliant",
                           note="现场发现的问题" if n < 2 else "",
                           hazard=None if n >= 2 or item.checklist_item.criteria.count() < 2
                           else {"criterion": item.checklist_item.criteria.first().code})
    html = _page(web_as, xihu_inspector, inspection)
    summary = html[html.index('data-testid="complete-summary"'):]
    assert _number(summary, "non_compliant") == 2
    assert _number(summary, "compliant") == len(items) - 2
    assert re.search(r'data-testid="pending-warning" data-progress-show="pending" hidden', html)
    # The button that posts is inside the confirmation, after the counts.
    assert summary.index('data-testid="confirm-complete"') > summary.index("项不符合")
    assert 'href="#complete" data-testid="next-pending"' in html


def test_no_progress_bar_before_the_inspection_starts(web_as, inspection, xihu_inspector):
    html = _page(web_as, xihu_inspector, inspection)
    assert 'data-testid="progress-bar"' not in html
    assert 'data-testid="complete-details"' not in html
