"""Accident grades at each bound of 条例 第三条 (以上 includes, 以下 excludes the number)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enforcement.accidents.grading import (
    ESPECIALLY_MAJOR,
    LARGER,
    MAJOR,
    ORDINARY,
    THRESHOLDS,
    grade,
)

M = Decimal("1000000")  # 100万元 per unit below, to keep the rows readable


@pytest.mark.parametrize(("deaths", "injuries", "loss", "expected"), [
    (0, 0, 0, ORDINARY),
    (2, 9, 10 * M - 1, ORDINARY),
    (3, 0, 0, LARGER), (0, 10, 0, LARGER), (0, 0, 10 * M, LARGER),
    (9, 49, 50 * M - 1, LARGER),
    (10, 0, 0, MAJOR), (0, 50, 0, MAJOR), (0, 0, 50 * M, MAJOR),
    (29, 99, 100 * M - 1, MAJOR),
    (30, 0, 0, ESPECIALLY_MAJOR), (0, 100, 0, ESPECIALLY_MAJOR), (0, 0, 100 * M, ESPECIALLY_MAJOR),
])
def test_each_bound_of_article_3(deaths: int, injuries: int, loss: Decimal,
                                 expected: str) -> None:
    assert grade(deaths, injuries, loss) == expected


def test_any_one_measure_decides_the_higher_grade() -> None:
    assert grade(1, 1, Decimal("100000000")) == ESPECIALLY_MAJOR
    assert grade(10, 0, Decimal("0.01")) == MAJOR


def test_thresholds_are_data_with_their_source() -> None:
    assert all("第三条" in row.source for row in THRESHOLDS)
    assert [row.grade for row in THRESHOLDS] == [ESPECIALLY_MAJOR, MAJOR, LARGER]


def test_negative_input_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        grade(-1, 0, 0)
