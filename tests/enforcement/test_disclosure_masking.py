"""The public version has no personal data: decisions whose texts carry ID numbers,
mobile numbers and bank cards (valid check digits) come out with zero matches; names of
natural persons other than the punished party, home addresses and organisations' bank
accounts are masked; the original is never changed."""

from __future__ import annotations

from typing import Any

import pytest

from enforcement.cases.models import CaseParty, PartyRole
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from enforcement.grounds.models import PartyKind
from tests.enforcement.disclosure_helpers import card, id_number, opened, personal_numbers

pytestmark = pytest.mark.django_db

IDS = [id_number("33010619850315123"), id_number("11010519491231002")]
MOBILES = ["13812345678", "+86 159-5710-2233"]
CARDS = [card("622202020011234567"), card("621700123456789")]


def facts() -> str:
    return (f"经查，工人钱小红（身份证号{IDS[0]}，电话{MOBILES[0]}）在作业中受伤；"
            f"班组长孙国强身份证 {IDS[1][:6]} {IDS[1][6:14]} {IDS[1][14:]}，手机{MOBILES[1]}。"
            f"工资由其银行卡{CARDS[0]}、{CARDS[1][:4]} {CARDS[1][4:8]} {CARDS[1][8:12]} "
            f"{CARDS[1][12:]}发放；单位开户账号：1202 0211 0900 0123 456。"
            "钱小红住杭州市西湖区古荡街道某小区5幢。")


def seeded() -> Disclosure:
    row = opened(facts=facts(), person=True)
    for name in ("钱小红", "孙国强"):
        CaseParty.objects.create(case_id=row.case_id, kind=PartyKind.PERSON,
                                 role=PartyRole.OTHER_RESPONSIBLE, name=name,
                                 address="杭州市西湖区古荡街道某小区5幢")
    return row


def test_seeded_numbers_are_really_there_and_valid(case_world: dict[str, Any]) -> None:
    row = seeded()
    found = personal_numbers(row.original_text)
    assert len(found) >= 6


def test_the_public_version_has_zero_matches(case_world: dict[str, Any]) -> None:
    row = seeded()
    original = row.original_text
    row = disclosure.submit_for_review(row, actor=case_world["inspector"])
    assert personal_numbers(row.public_text) == []
    for name in ("钱小红", "孙国强"):
        assert name not in row.public_text
    assert "古荡街道某小区5幢" not in row.public_text
    assert "文三路88号" not in row.public_text  # the punished person's home address
    assert "0900 0123 456" not in row.public_text  # the organisation's bank account
    assert "赵大勇" in row.public_text  # the punished party is named
    kinds = {m["kind"] for m in row.masks}
    assert {"id_number", "mobile", "bank_card", "bank_account", "name", "address"} <= kinds
    # Spans point at the original and at the public text.
    for mask in row.masks:
        assert original[mask["start"]:mask["end"]] != row.public_text[
            mask["public_start"]:mask["public_end"]]
    assert Disclosure.objects.get(pk=row.pk).original_text == original


def test_the_reviewer_marks_more_names_and_phrases(case_world: dict[str, Any]) -> None:
    row = opened(facts="现场由周某某的朋友吴天明带领检查，涉及配方工艺参数A-17。")
    row = disclosure.submit_for_review(row, actor=case_world["inspector"])
    assert "吴天明" in row.public_text
    row = disclosure.approve_redaction(row, actor=case_world["chief"], severity="ordinary",
                                       names=["吴天明"], phrases=["配方工艺参数A-17"])
    assert "吴天明" not in row.public_text and "配方工艺参数A-17" not in row.public_text
    assert {"name", "marked"} <= {m["kind"] for m in row.masks}
