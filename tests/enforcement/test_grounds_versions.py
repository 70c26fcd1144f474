"""The discretion table is versioned as a whole: drafts are edited, published versions
never change (service and database), and a decision keeps what it applied."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from enforcement.grounds import services
from enforcement.grounds.models import DiscretionBenchmark, DiscretionVersion, ViolationType
from enforcement.grounds.selectors import (
    RuleMissing,
    applied_row_snapshot,
    benchmark_for,
    version_in_force,
)
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("discretion_data")]

S = DiscretionVersion.Status
ON = datetime.date(2026, 12, 1)
NEXT_YEAR = datetime.date(2027, 1, 1)


def seeded() -> DiscretionVersion:
    return version_in_force(ON)


def draft_with_changed_row(admin, valid_from=NEXT_YEAR) -> DiscretionVersion:
    draft = services.new_draft_from(seeded(), actor=admin, name="2027年修订", valid_from=valid_from)
    DiscretionBenchmark.objects.filter(violation__version=draft, violation__code="AQ-097-1",
                                       level="general").update(unit_fine_min=Decimal("25000"),
                                                               unit_fine_max=Decimal("55000"))
    return draft


def test_a_new_draft_copies_the_published_version(municipal_admin) -> None:
    source = seeded()
    draft = services.new_draft_from(actor=municipal_admin, name="修订草稿", valid_from=NEXT_YEAR)
    assert draft.status == S.DRAFT and draft.based_on == source
    assert draft.violations.count() == source.violations.count() == 35
    copied = DiscretionBenchmark.objects.filter(violation__version=draft)
    assert copied.count() == DiscretionBenchmark.objects.filter(
        violation__version=source).count() == 140
    original = benchmark_for("AQ-099-4", "serious", on=ON)
    copy = copied.get(violation__code="AQ-099-4", level="serious")
    keep = ["circumstance", "unit_clause", "unit_fine_min", "unit_fine_max", "person_clause",
            "other_penalties", "illustrative", "source"]
    assert [getattr(copy, f) for f in keep] == [getattr(original, f) for f in keep]
    assert AuditEvent.objects.filter(action="grounds.discretion_version.drafted",
                                     object_id=str(draft.pk)).exists()


def test_a_draft_is_not_applied_until_published(municipal_admin) -> None:
    draft_with_changed_row(municipal_admin, valid_from=ON)
    assert benchmark_for("AQ-097-1", "general", on=ON).violation.version == seeded()
    assert seeded().name.endswith("示意版）")


def test_a_decision_keeps_its_snapshot_after_a_new_version_is_published(municipal_admin) -> None:
    applied = benchmark_for("AQ-097-1", "general", on=ON)
    # What the decision stores: the version and row ids and the snapshot.
    stored = {"version_id": applied.violation.version_id, "row_id": applied.pk,
              "snapshot": applied_row_snapshot(applied)}
    draft = draft_with_changed_row(municipal_admin)
    services.publish_version(draft, actor=municipal_admin)

    later = benchmark_for("AQ-097-1", "general", on=NEXT_YEAR)
    assert later.violation.version == draft and later.unit_fine_min == Decimal("25000")
    # Decisions dated before the new version keep applying the old one.
    assert benchmark_for("AQ-097-1", "general", on=ON).pk == applied.pk
    again = DiscretionBenchmark.objects.get(pk=stored["row_id"])
    assert applied_row_snapshot(again) == stored["snapshot"]
    assert stored["snapshot"]["unit_fine"] == ["20000.00", "60000.00"]
    assert stored["snapshot"]["penalty_provision"] == "安全生产法第九十七条第（一）项"
    assert stored["snapshot"]["version_id"] == stored["version_id"]


def test_a_correction_for_the_same_day_supersedes_the_published_version(municipal_admin) -> None:
    old = seeded()
    draft = draft_with_changed_row(municipal_admin, valid_from=old.valid_from)
    published = services.publish_version(draft, actor=municipal_admin, reason="更正阶次")
    old.refresh_from_db()
    assert (old.status, published.status) == (S.SUPERSEDED, S.PUBLISHED)
    assert published.published_by == municipal_admin and published.published_at
    assert benchmark_for("AQ-097-1", "general", on=ON).unit_fine_min == Decimal("25000")
    assert DiscretionVersion.objects.filter(status=S.PUBLISHED,
                                            valid_from=old.valid_from).count() == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"grounds.discretion_version.published",
            "grounds.discretion_version.superseded"} <= actions


def test_withdrawing_the_only_version_leaves_no_rule_rather_than_a_guess(municipal_admin) -> None:
    services.supersede_version(seeded(), actor=municipal_admin, reason="发现错误")
    with pytest.raises(RuleMissing):
        benchmark_for("AQ-097-1", "general", on=ON)


def test_only_the_municipal_administrator_maintains_the_table(xihu_chief, xihu_approver,
                                                              municipal_admin) -> None:
    draft = draft_with_changed_row(municipal_admin)
    for actor in (xihu_chief, xihu_approver):
        with pytest.raises(Forbidden) as caught:
            services.publish_version(draft, actor=actor)
        assert caught.value.status_code == 403
        with pytest.raises(Forbidden):
            services.new_draft_from(seeded(), actor=actor, name="x", valid_from=NEXT_YEAR)
        with pytest.raises(Forbidden):
            services.supersede_version(seeded(), actor=actor, reason="x")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and seeded().status == S.PUBLISHED


def test_an_empty_draft_cannot_be_published(municipal_admin) -> None:
    empty = DiscretionVersion.objects.create(name="空", source="测试", valid_from=NEXT_YEAR)
    with pytest.raises(InvalidInput):
        services.publish_version(empty, actor=municipal_admin)
    empty.refresh_from_db()
    assert empty.status == S.DRAFT


def test_the_service_refuses_edits_to_a_published_version() -> None:
    with pytest.raises(services.VersionFrozen) as caught:
        services.ensure_editable(seeded())
    assert caught.value.status_code == 409 and "新建草稿" in caught.value.detail


# --- Immutability at the database level (whatever the client) ------------------------

def _refused(action) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_published_rows_cannot_be_changed_added_or_removed_in_the_database() -> None:
    version = seeded()
    row = benchmark_for("AQ-097-1", "general", on=ON)
    violation = row.violation
    _refused(lambda: DiscretionBenchmark.objects.filter(pk=row.pk).update(
        unit_fine_max=Decimal("90000")))
    _refused(lambda: DiscretionBenchmark.objects.filter(pk=row.pk).delete())
    _refused(lambda: DiscretionBenchmark.objects.create(
        violation=violation, level="minor", circumstance="新增", source="x",
        unit_clause="处十万元以下的罚款", statutory_unit_fine_min=0,
        statutory_unit_fine_max=100000, unit_fine_min=1, unit_fine_max=2))
    _refused(lambda: ViolationType.objects.filter(pk=violation.pk).update(name="改名"))
    _refused(lambda: ViolationType.objects.create(
        version=version, code="AQ-NEW", name="新增", breached_statute="安全生产法",
        breached_article="第一条", penalty_statute="安全生产法", penalty_article="第一条",
        penalty_clause="x"))
    _refused(lambda: DiscretionVersion.objects.filter(pk=version.pk).update(name="改名"))
    _refused(lambda: DiscretionVersion.objects.filter(pk=version.pk).update(status=S.DRAFT))
    _refused(lambda: DiscretionVersion.objects.filter(pk=version.pk).delete())
    row.refresh_from_db()
    assert row.unit_fine_max == Decimal("60000")


def test_a_superseded_version_is_frozen_for_good(municipal_admin) -> None:
    version = services.supersede_version(seeded(), actor=municipal_admin, reason="撤回")
    _refused(lambda: DiscretionVersion.objects.filter(pk=version.pk).update(status=S.PUBLISHED))
    _refused(lambda: DiscretionBenchmark.objects.filter(violation__version=version).update(
        note="改"))


def test_draft_rows_stay_editable_and_deletable(municipal_admin) -> None:
    draft = draft_with_changed_row(municipal_admin)
    assert DiscretionBenchmark.objects.filter(violation__version=draft).update(note="核定中") == 140
    draft.delete()
    assert not DiscretionVersion.objects.filter(pk=draft.pk).exists()


def test_two_published_versions_for_one_day_are_refused_by_the_database(municipal_admin) -> None:
    draft = draft_with_changed_row(municipal_admin, valid_from=seeded().valid_from)
    _refused(lambda: DiscretionVersion.objects.filter(pk=draft.pk).update(status=S.PUBLISHED))


@pytest.mark.parametrize("bad", [
    {"unit_fine_min": Decimal("70000"), "unit_fine_max": Decimal("60000")},   # min > max
    {"unit_fine_min": Decimal("-1")},                                          # negative
    {"unit_fine_max": Decimal("100001")},                                      # above statute
    {"statutory_unit_fine_min": Decimal("-5"), "unit_fine_min": Decimal("-5")},
    {"unit_fine_max": None},                                                   # half a range
])
def test_range_checks_hold_on_draft_rows_too(municipal_admin, bad) -> None:
    draft = draft_with_changed_row(municipal_admin)
    row = DiscretionBenchmark.objects.filter(violation__version=draft,
                                             violation__code="AQ-097-1", level="general")
    _refused(lambda: row.update(**bad))
