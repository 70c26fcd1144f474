"""The seeded discretion table against the statute text in docs/laws/.

Every cited article must exist, every quoted clause must be the article's own words,
and the statutory fine ranges of every row must be the figures written in that clause
(Chinese numerals parsed here, independently of the seed)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from enforcement.grounds.models import DiscretionBenchmark, DiscretionVersion, ViolationType

LAWS = Path(__file__).resolve().parents[2] / "docs" / "laws"
LAW_FILES = {"安全生产法": LAWS / "安全生产法(2021-06-10).md"}

DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}
NUMERAL = "零一二两三四五六七八九十百千万亿"


def cn_int(text: str) -> int:
    """一百零一 → 101, 二十万 → 200000, 十五 → 15 (a leading 十 means 一十)."""
    if not text:
        raise ValueError("empty numeral")
    total = section = 0
    digit: int | None = None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        elif char in BIG_UNITS:
            section += digit or 0
            total += section * BIG_UNITS[char]
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


AMOUNT = re.compile(rf"([{NUMERAL}]+)元(以上|以下)")


def fine_range(clause: str) -> tuple[Decimal, Decimal]:
    """The range a clause states: "X元以下" is (0, X), "X元以上Y元以下" is (X, Y)."""
    found = AMOUNT.findall(clause)
    if len(found) == 1 and found[0][1] == "以下":
        return Decimal(0), Decimal(cn_int(found[0][0]))
    if len(found) == 2 and [b for _, b in found] == ["以上", "以下"]:
        return Decimal(cn_int(found[0][0])), Decimal(cn_int(found[1][0]))
    raise ValueError(f"no single fine range in {clause!r}: {found}")


ARTICLE_START = re.compile(rf"^第([{NUMERAL}]+)条[ 　]")
HEADING = re.compile(rf"^第[{NUMERAL}]+[章节]")


@cache
def articles(statute: str) -> dict[int, str]:
    """Article number → its whole text (all paragraphs), from the statute's file."""
    found: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in LAW_FILES[statute].read_text(encoding="utf-8").splitlines():
        start = ARTICLE_START.match(line)
        if start:
            current = found.setdefault(cn_int(start.group(1)), [])
        elif HEADING.match(line):
            current = None
        if current is not None and line.strip():
            current.append(line.strip())
    return {number: "\n".join(lines) for number, lines in found.items()}


def article_number(citation: str) -> int:
    match = re.match(rf"第([{NUMERAL}]+)条", citation)
    assert match, f"not an article citation: {citation!r}"
    return cn_int(match.group(1))


# --- The parsers themselves ---------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("九十四", 94), ("一百", 100), ("一百零一", 101), ("一百一十二", 112), ("十五", 15),
    ("二万", 20000), ("十万", 100000), ("二十万", 200000), ("五十万", 500000),
    ("一百万", 1000000), ("一万五千", 15000), ("三千", 3000), ("二百", 200),
])
def test_chinese_numerals(text: str, value: int) -> None:
    assert cn_int(text) == value


@pytest.mark.parametrize(("clause", "expected"), [
    ("处一万元以上五万元以下的罚款", (10000, 50000)),
    ("并处二十万元以上五十万元以下的罚款", (200000, 500000)),
    ("处十万元以下的罚款", (0, 100000)),
    ("逾期未改正的，处五十万元以上一百万元以下的罚款", (500000, 1000000)),
    ("没有违法所得或者违法所得不足十万元的，单处或者并处十万元以上二十万元以下的罚款",
     (100000, 200000)),
])
def test_fine_ranges_of_clauses(clause: str, expected: tuple[int, int]) -> None:
    assert fine_range(clause) == (Decimal(expected[0]), Decimal(expected[1]))


@pytest.mark.parametrize("clause", [
    "处罚款", "处上一年年收入百分之四十的罚款", "处五万元以上的罚款"])
def test_a_clause_without_one_range_is_not_read_as_one(clause: str) -> None:
    with pytest.raises(ValueError):
        fine_range(clause)


def test_the_statute_file_is_read_article_by_article() -> None:
    law = articles("安全生产法")
    assert sorted(law) == list(range(1, 120))  # 安全生产法 (2021) has 119 articles
    assert law[94].startswith("第九十四条 生产经营单位的主要负责人")
    assert "终身不得担任本行业生产经营单位的主要负责人" in law[94]  # third paragraph kept
    assert "第九十五条" not in law[94]


# --- The seeded table against the text ----------------------------------------------

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("discretion_data")]


def seeded() -> DiscretionVersion:
    return DiscretionVersion.objects.get(status=DiscretionVersion.Status.PUBLISHED,
                                         name__contains="示意版")


def test_the_common_articles_of_chapter_seven_are_covered() -> None:
    cited = {article_number(v.penalty_article) for v in seeded().violations.all()}
    assert cited >= {94, 96, 97, 98, 99, 101, 102, 103, 104, 105, 106, 108, 109}
    assert all(94 <= number <= 112 for number in cited)


@pytest.mark.parametrize("code", [
    "AQ-094", "AQ-097-1", "AQ-097-7", "AQ-098-2", "AQ-099-8", "AQ-101-5", "AQ-102",
    "AQ-103-1", "AQ-103-2", "AQ-104", "AQ-105-2", "AQ-106", "AQ-108", "AQ-109"])
def test_samples_are_present(code: str) -> None:
    assert seeded().violations.filter(code=code).exists()


def test_every_violation_quotes_its_articles() -> None:
    violations = list(seeded().violations.all())
    assert len(violations) >= 30
    for violation in violations:
        law = articles(violation.penalty_statute)
        breached = article_number(violation.breached_article)
        assert breached in articles(violation.breached_statute), violation.code
        text = law[article_number(violation.penalty_article)]
        assert violation.penalty_clause in text, (violation.code, violation.penalty_clause)
        # The violation is described in the article's own words (its item, if any).
        item = re.search(r"第（([一二三四五六七八九十]+)）项", violation.penalty_article)
        described = f"（{item.group(1)}）{violation.name}" if item else violation.name
        assert described in text, (violation.code, described)


def test_every_row_has_the_statutory_range_written_in_its_clause() -> None:
    rows = list(DiscretionBenchmark.objects.filter(violation__version=seeded())
                .select_related("violation"))
    assert len(rows) >= 120
    for row in rows:
        violation = row.violation
        text = articles(violation.penalty_statute)[article_number(violation.penalty_article)]
        for party in ("unit", "person"):
            clause = getattr(row, f"{party}_clause")
            statutory = (getattr(row, f"statutory_{party}_fine_min"),
                         getattr(row, f"statutory_{party}_fine_max"))
            band = (getattr(row, f"{party}_fine_min"), getattr(row, f"{party}_fine_max"))
            if not clause:
                assert statutory == (None, None) and band == (None, None), (row.pk, party)
                continue
            assert clause in text and clause in violation.penalty_clause, (row.pk, clause)
            assert statutory == fine_range(clause), (violation.code, row.level, party)
            assert statutory[0] <= band[0] <= band[1] <= statutory[1], (row.pk, party)
        if row.person_clause:
            assert row.person_kind, row.pk
        assert row.statutory_unit_fine_max is not None or row.statutory_person_fine_max \
            is not None or row.other_penalties, row.pk


def test_illustrative_rows_say_so_and_statutory_rows_keep_the_whole_range() -> None:
    rows = DiscretionBenchmark.objects.filter(violation__version=seeded())
    illustrative = rows.filter(illustrative=True)
    assert illustrative.exists() and rows.filter(illustrative=False).exists()
    for row in illustrative:
        assert "示意" in row.source and "90号" in row.note
    for row in rows.filter(illustrative=False):
        assert "法定" in row.source
        assert (row.unit_fine_min, row.unit_fine_max) == (
            row.statutory_unit_fine_min, row.statutory_unit_fine_max)
        assert (row.person_fine_min, row.person_fine_max) == (
            row.statutory_person_fine_min, row.statutory_person_fine_max)
    assert "示意" in seeded().source


def test_each_violation_has_one_row_per_level_lightest_first() -> None:
    for violation in ViolationType.objects.filter(version=seeded()):
        levels = list(violation.benchmarks.order_by("id").values_list("level", flat=True))
        assert levels == ["minor", "general", "serious", "severe"], violation.code
