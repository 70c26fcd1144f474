"""Random draws, set-based: constant query counts, the stored report, redraws that
cancel through the audited cascade, and publish / redraw guarded on the locked row."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.audit.models import AuditEvent
from inspections.draws import algorithm
from inspections.draws import services as draws
from inspections.models import (
    ChecklistTemplate,
    ConflictDeclaration,
    ObjectDirectory,
    PlannedInspection,
    RandomDraw,
)
from tests.inspections.test_draws import YEAR, make_enterprise, make_staff

pytestmark = pytest.mark.django_db

API = "/api/v1/draws/"


@pytest.fixture
def pool(reference_data: None, xihu_chief: User) -> dict[str, Any]:
    inspectors = [make_staff(f"ds_insp_{i}", Role.INSPECTOR, "EM-330106",
                             cert=f"DS3301060{i:02d}") for i in range(6)]
    enterprises = [make_enterprise(f"集合抽取企业{i}", 800 + i) for i in range(30)]
    template = ChecklistTemplate.objects.create(code="T-DS-1", name="通用检查表")
    directory = draws.create_object_directory(xihu_chief, "西湖区全部在营单位", {})
    item_list = draws.create_item_list(xihu_chief, "通用事项", [template])
    return {"chief": xihu_chief, "inspectors": inspectors, "enterprises": enterprises,
            "directory": directory, "item_list": item_list}


def draw(pool: dict[str, Any], n: int, month: int = 5, seed: str = "s") -> RandomDraw:
    return draws.perform_draw(pool["chief"], pool["directory"], pool["item_list"], YEAR,
                              month, n, seed=seed)


def test_perform_draw_costs_the_same_for_3_and_30_enterprises(pool: dict[str, Any]) -> None:
    """Set-based: bulk inserts of the planned inspections and their inspectors, one
    aggregate of the yearly counts. Before: 15 + 3n queries (24 for 3, 105 for 30)."""
    with CaptureQueriesContext(connection) as small:
        three = draw(pool, 3, month=5)
    with CaptureQueriesContext(connection) as large:
        thirty = draw(pool, 30, month=6)
    assert len(three.result) == 3 and len(thirty.result) == 30
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(large.captured_queries) <= 17, [q["sql"][:120] for q in large.captured_queries]
    # The rows are all there, each with its two inspectors.
    planned = PlannedInspection.objects.filter(draw=thirty).prefetch_related("inspectors")
    assert sorted((p.enterprise_id, sorted(u.pk for u in p.inspectors.all()))
                  for p in planned) == sorted(
        (row["enterprise"], sorted(row["inspectors"])) for row in thirty.result)
    # The second draw saw the first one's planned inspections in its counts.
    assert thirty.snapshot["counts"] == {str(row["enterprise"]): 1 for row in three.result}


def test_report_is_stored_and_the_page_shows_the_stored_one(pool: dict[str, Any],
                                                            web_as: Any, api_as: Any) -> None:
    drawn = draw(pool, 40)
    stored = RandomDraw.objects.get(pk=drawn.pk)
    assert stored.report == algorithm.run_v1(stored.seed, stored.snapshot, 40).report()
    assert stored.report["shortfall"] is True and stored.report["drawn"] == 30
    # Replace the stored report by one the algorithm would never produce: what the page
    # and the API show comes from the row, not from re-running the draw.
    fake = {"requested": 99, "eligible": 77, "drawn": 30, "capped": [], "skipped": [],
            "shortfall": True}
    RandomDraw.objects.filter(pk=drawn.pk).update(report=fake)
    html = web_as(pool["chief"]).get(f"/draws/{drawn.pk}/").content.decode()
    assert "拟抽取 99 家，符合条件 77 家，实际抽中 30 家。" in html
    assert api_as(pool["chief"]).get(f"{API}{drawn.pk}/").json()["report"] == fake


def test_migration_backfills_old_draws(pool: dict[str, Any]) -> None:
    drawn = draw(pool, 5)
    expected = RandomDraw.objects.get(pk=drawn.pk).report
    RandomDraw.objects.filter(pk=drawn.pk).update(report=None)
    migration = importlib.import_module("inspections.migrations.0005_randomdraw_report")
    migration.backfill(apps, None)
    assert RandomDraw.objects.get(pk=drawn.pk).report == expected
    # A draw without a stored report (unknown version) still gets one computed lazily.
    RandomDraw.objects.filter(pk=drawn.pk).update(report=None)
    assert draws.draw_report(RandomDraw.objects.get(pk=drawn.pk)) == expected


def test_redraw_cancels_through_the_audited_cascade(pool: dict[str, Any],
                                                    api_as: Any) -> None:
    """Regression: the old planned inspections were cancelled with a bare update and no
    audit event; now each cancellation is a planned_inspection.cancelled event."""
    old = draw(pool, 6)
    old_ids = set(PlannedInspection.objects.filter(draw=old).values_list("pk", flat=True))
    response = api_as(pool["chief"]).post(f"{API}{old.pk}/redraw/",
                                          {"reason": "名录库有误"}, format="json")
    assert response.status_code == 201, response.content
    assert set(PlannedInspection.objects.filter(pk__in=old_ids)
               .values_list("status", flat=True)) == {PlannedInspection.Status.CANCELLED}
    cancelled = AuditEvent.objects.filter(action="planned_inspection.cancelled")
    assert {e.new_values["planned_inspection"] for e in cancelled} == old_ids
    assert all(e.reason == "重新抽取：名录库有误" and e.actor_id == pool["chief"].pk
               and e.old_values == {"status": "planned"} for e in cancelled)
    replaced = AuditEvent.objects.get(action="draw.replaced", object_id=str(old.pk))
    assert replaced.old_values == {"planned_inspections": 6}


def test_redraw_refused_when_an_inspection_is_done(pool: dict[str, Any]) -> None:
    old = draw(pool, 4)
    PlannedInspection.objects.filter(draw=old).filter(
        pk=PlannedInspection.objects.filter(draw=old).order_by("pk").values("pk")[:1],
    ).update(status=PlannedInspection.Status.DONE)
    with pytest.raises(draws.DomainError) as refused:
        draws.redraw(old, pool["chief"], "重抽")
    assert refused.value.code == "inspections_done"
    assert not RandomDraw.objects.filter(replaces=old).exists()
    assert PlannedInspection.objects.filter(
        draw=old, status=PlannedInspection.Status.CANCELLED).count() == 0


@pytest.mark.parametrize("step", ["publish", "redraw"])
def test_publish_and_redraw_check_role_and_jurisdiction_themselves(
        step: str, pool: dict[str, Any], binjiang_approver: User, xihu_inspector: User,
        municipal_admin: User) -> None:
    drawn = draw(pool, 3)
    events = AuditEvent.objects.count()

    def run(actor: Any) -> Any:
        if step == "publish":
            return draws.publish_results(drawn, actor)
        return draws.redraw(drawn, actor, "重抽理由")

    for actor in (binjiang_approver, xihu_inspector):
        with pytest.raises(Forbidden) as refused:
            run(actor)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.detail)
    assert AuditEvent.objects.count() == events
    current = RandomDraw.objects.get(pk=drawn.pk)
    assert current.results_published_at is None and not current.superseded
    # The municipal level covers every district.
    assert run(municipal_admin) is not None


def test_perform_draw_refuses_another_districts_directory(pool: dict[str, Any],
                                                          binjiang_approver: User) -> None:
    with pytest.raises(Forbidden):
        draws.perform_draw(binjiang_approver, pool["directory"], pool["item_list"], YEAR,
                           5, 3, seed="x")
    assert not RandomDraw.objects.exists()
    assert not Enterprise.objects.filter(planned_inspections__isnull=False).exists()


def test_too_long_names_and_reasons_are_refused_not_cut(pool: dict[str, Any]) -> None:
    """Regression: a 201-character name or a 256-character reason was silently cut."""
    chief = pool["chief"]
    directories = ObjectDirectory.objects.count()
    with pytest.raises(draws.InvalidInput) as refused:
        draws.create_object_directory(chief, "名" * 201, {})
    assert refused.value.fields == {"name": ["名称最多 200 个字符。"]}
    assert ObjectDirectory.objects.count() == directories
    with pytest.raises(draws.InvalidInput):
        draws.declare_conflict(chief, pool["inspectors"][0], pool["enterprises"][0], "因" * 256)
    assert not ConflictDeclaration.objects.exists()
    drawn = draw(pool, 2)
    with pytest.raises(draws.InvalidInput):
        draws.redraw(drawn, chief, "因" * 256)
    assert not RandomDraw.objects.filter(replaces=drawn).exists()
