"""Amounts in Chinese capitals: the tricky values, and a round-trip over many amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hangzhou_safety.documents.amounts import MAX_YUAN, from_capitals, to_capitals
from hangzhou_safety.documents.chinese import chinese_date

TABLE = [
    ("0", "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("0.5", "人民币伍角整"),
    ("0.55", "人民币伍角伍分"),
    ("1.05", "人民币壹元零伍分"),
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("100.5", "人民币壹佰元伍角整"),
    ("1001", "人民币壹仟零壹元整"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("1100", "人民币壹仟壹佰元整"),
    ("10100", "人民币壹万零壹佰元整"),
    ("12345.6", "人民币壹万贰仟叁佰肆拾伍元陆角整"),
    ("100000", "人民币壹拾万元整"),
    ("101000", "人民币壹拾万壹仟元整"),
    ("200000.00", "人民币贰拾万元整"),
    ("10000000.01", "人民币壹仟万元零壹分"),
    ("100000001", "人民币壹亿零壹元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("1000000000000", "人民币壹万亿元整"),
]


@pytest.mark.parametrize(("amount", "expected"), TABLE)
def test_tricky_values(amount: str, expected: str) -> None:
    assert to_capitals(Decimal(amount)) == expected
    assert from_capitals(expected) == Decimal(amount).quantize(Decimal("0.01"))


def test_int_and_prefix() -> None:
    assert to_capitals(1_0000_0001, prefix=False) == "壹亿零壹元整"


@pytest.mark.parametrize("bad", ["-1", "0.001", "NaN", "abc", str(MAX_YUAN + 1)])
def test_refuses_what_is_not_an_amount(bad: str) -> None:
    with pytest.raises(ValueError):
        to_capitals(bad)


@given(st.integers(min_value=0, max_value=MAX_YUAN * 100))
def test_round_trip(fen: int) -> None:
    amount = Decimal(fen) / 100
    text = to_capitals(amount)
    assert from_capitals(text) == amount.quantize(Decimal("0.01"))
    # Never two 零 in a row, never a trailing 零 before 元 or a group unit.
    assert "零零" not in text
    for unit in ("元", "万", "亿"):
        assert f"零{unit}" not in text.replace("零元整", "")
    assert text.endswith("整") == (fen % 10 == 0)


def test_chinese_date() -> None:
    import datetime

    assert chinese_date(datetime.date(2026, 12, 2)) == "二〇二六年十二月二日"
    assert chinese_date(datetime.date(2027, 10, 20)) == "二〇二七年十月二十日"
    assert chinese_date(datetime.date(2030, 1, 31)) == "二〇三〇年一月三十一日"
