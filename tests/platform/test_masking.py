"""The masking service for public outputs: pattern and check digit, nothing else touched."""

from __future__ import annotations

import pytest

from hangzhou_safety.masking import mask_personal_data, mask_text


@pytest.mark.parametrize(("raw", "kind", "masked"), [
    ("身份证11010519491231002X", "id_number", "身份证110105**********2X"),
    ("身份证 110105 19491231 002x", "id_number", "身份证 110105**********2x"),
    ("联系13812345678", "mobile", "联系138****5678"),
    ("联系+86 138-1234-5678", "mobile", "联系138****5678"),
    ("座机0571-87654321", "landline", "座机0571-****21"),
    ("卡号6222020200112345679", "bank_card", "卡号6222 **** **** 5679"),
    ("卡号6222 0202 0011 2345 679", "bank_card", "卡号6222 **** **** 5679"),
])
def test_personal_numbers_are_masked(raw: str, kind: str, masked: str) -> None:
    result = mask_personal_data(raw)
    assert result.text == masked
    assert [k for k, _ in result.found] == [kind]


@pytest.mark.parametrize("text", [
    "ID with a wrong check digit 110105194912310021",
    "库存 1234567890123 件，GB 50016-2014 第3.1.2条，2026-09-24",
    "card-like digits failing Luhn 6222020200112345678",
    "12345678901",
])
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


def test_names_of_natural_persons_are_masked_longest_first() -> None:
    result = mask_personal_data("王小明和王小到场", names=["王小", "王小明", " "])
    assert result.text == "王**和王*到场"


def test_masking_never_changes_the_input() -> None:
    original = "13812345678"
    mask_text(original)
    assert original == "13812345678"
