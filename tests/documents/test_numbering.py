"""Numbering as data: abbreviations, patterns, one serial per case, gaps, concurrency."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.documents import data
from hangzhou_safety.documents.models import AuthorityNumbering, SerialAllocation
from hangzhou_safety.documents.numbering import (
    allocate_serial,
    document_type,
    format_number,
    numbering_for,
    record_gap,
    serial_for,
)


def test_district_defaults_are_distinct_and_derived(reference_data: None) -> None:
    districts = list(Jurisdiction.objects.filter(kind="district").values_list("code", "name"))
    assert len(districts) == 13
    abbr = data.district_abbreviations(districts)
    assert abbr["330106"] == "杭西"
    assert abbr["330108"] == "杭滨"
    assert {abbr["330112"], abbr["330113"]} == {"杭临安", "杭临平"}
    assert len(set(abbr.values())) == 13


def test_seeded_and_lazily_derived_numbering(reference_data: None) -> None:
    xihu = Authority.objects.get(code="EM-330106")
    city = Authority.objects.get(code="EM-330100")
    assert numbering_for(xihu).abbreviation == "杭西"
    assert numbering_for(city).abbreviation == "杭"
    street = Authority.objects.get(code="ST-330106002")
    row = numbering_for(street)
    assert row.abbreviation.startswith("杭西") and row.abbreviation != "杭西"
    assert "[K]" in row.source


def test_number_pattern_is_data(xihu: Authority) -> None:
    assert format_number(xihu, document_type("立"), 2026, 12) == "（杭西）应急立〔2026〕12号"
    assert format_number(xihu, document_type("罚"), 2026, 12) == "（杭西）应急罚〔2026〕12号"
    assert format_number(xihu, document_type("复查"), 2026, 7, 2) == \
        "（杭西）应急复查〔2026〕7-2号"
    AuthorityNumbering.objects.filter(authority=xihu).update(
        abbreviation="西", pattern="杭{abbr}应急{code}〔{year}〕{serial}号")
    assert format_number(xihu, document_type("罚"), 2026, 3) == "杭西应急罚〔2026〕3号"
    AuthorityNumbering.objects.filter(authority=xihu).update(pattern="{abbr}{nonsense}")
    with pytest.raises(InvalidInput):
        format_number(xihu, document_type("罚"), 2026, 3)


def test_document_types_carry_their_source(reference_data: None) -> None:
    for code in ("立", "罚告", "罚", "责改", "检记", "复查", "先保", "强措"):
        row = document_type(code)
        assert row.source.startswith("DOMAIN.md B4"), code
    assert document_type("罚").requires == ["罚告"]
    with pytest.raises(InvalidInput):
        document_type("不存在")


def test_serials_are_consecutive_per_authority_year_series(xihu: Authority) -> None:
    binjiang = Authority.objects.get(code="EM-330108")
    first = allocate_serial(xihu, 2026, data.SERIES_CASE)
    assert allocate_serial(xihu, 2026, data.SERIES_CASE) == first + 1
    assert allocate_serial(xihu, 2027, data.SERIES_CASE) == 1
    assert allocate_serial(xihu, 2026, data.SERIES_INSPECTION) == 1
    assert allocate_serial(binjiang, 2026, data.SERIES_CASE) == 1
    with pytest.raises(InvalidInput):
        allocate_serial(xihu, 2026, "nonsense")


def test_one_serial_per_subject(xihu: Authority, subject: Any) -> None:
    one = serial_for(subject, xihu, 2026, data.SERIES_CASE)
    again = serial_for(subject, xihu, 2026, data.SERIES_CASE)
    assert one.pk == again.pk
    assert SerialAllocation.objects.filter(object_id=str(subject.pk)).count() == 1


def test_gap_needs_reason_is_audited_and_never_reused(xihu: Authority,
                                                      municipal_admin: Any) -> None:
    serial = allocate_serial(xihu, 2026, data.SERIES_CASE)
    with pytest.raises(InvalidInput):
        record_gap(xihu, 2026, data.SERIES_CASE, serial, actor=municipal_admin, reason=" ")
    row = record_gap(xihu, 2026, data.SERIES_CASE, serial, actor=municipal_admin,
                     reason="立案审批未通过，未制作文书")
    assert row.status == SerialAllocation.Status.GAP
    event = AuditEvent.objects.filter(action="document.serial_gap").latest("id")
    assert event.new_values["serial"] == serial and "立案审批未通过" in event.reason
    with pytest.raises(DomainError):
        record_gap(xihu, 2026, data.SERIES_CASE, serial, actor=municipal_admin, reason="again")
    with pytest.raises(InvalidInput):
        record_gap(xihu, 2026, data.SERIES_CASE, serial + 99, actor=municipal_admin,
                   reason="never allocated")
    assert allocate_serial(xihu, 2026, data.SERIES_CASE) == serial + 1


def test_a_gap_is_declared_by_the_authority_s_head_only(xihu: Authority,
                                                        xihu_inspector: Any,
                                                        binjiang_approver: Any) -> None:
    from hangzhou_safety.api.errors import Forbidden

    serial = allocate_serial(xihu, 2026, data.SERIES_CASE)
    for actor in (xihu_inspector, binjiang_approver):
        with pytest.raises(Forbidden):
            record_gap(xihu, 2026, data.SERIES_CASE, serial, actor=actor, reason="误立")
    assert SerialAllocation.objects.get(authority=xihu, serial=serial).status == "allocated"


@pytest.mark.django_db(transaction=True)
def test_two_threads_at_the_same_moment_get_distinct_consecutive_serials(
        reference_data: None) -> None:
    xihu = Authority.objects.get(code="EM-330106")
    start = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def allocate() -> None:
        try:
            start.wait()
            results.append(allocate_serial(xihu, 2026, data.SERIES_CASE))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [1, 2]
    assert sorted(SerialAllocation.objects.filter(authority=xihu).values_list(
        "serial", flat=True)) == [1, 2]
