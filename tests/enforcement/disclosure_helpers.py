"""Builders of the disclosure tests: a decided case, its disclosure, one published."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

from stdnum import luhn
from stdnum.cn import ric

from enforcement.cases.models import Case, CaseParty, PartyRole, PenaltyDecision
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from enforcement.grounds.models import PartyKind
from hangzhou_safety.masking import is_resident_id
from tests.platform.drivers._cases import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def id_number(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")  # it ignores the last character


def card(prefix: str) -> str:
    return prefix + luhn.calc_check_digit(prefix)


def decided(*, on: datetime.date | None = None, staff: Any = None,
            facts: str | None = None, person: bool = False) -> PenaltyDecision:
    case = make_case(Case.Status.DECIDED, staff=staff)
    decision = case.decisions.get()
    if facts is not None:
        Case.objects.filter(pk=case.pk).update(facts=facts)
    if person:
        CaseParty.objects.filter(pk=decision.party_id).update(
            kind=PartyKind.PERSON, role=PartyRole.PERSON, name="赵大勇",
            identifier=id_number("33010619800101001"), address="杭州市西湖区文三路88号3幢",
            phone="13905710001")
    if on is not None:
        PenaltyDecision.objects.filter(pk=decision.pk).update(
            issued_at=datetime.datetime.combine(on, datetime.time(10), tzinfo=SHANGHAI))
    return PenaltyDecision.objects.select_related("party", "case").get(pk=decision.pk)


def opened(**kwargs: Any) -> Disclosure:
    decision = decided(**kwargs)
    return disclosure.create_for_decision(decision, actor=None)


def published(users: dict[str, Any], **kwargs: Any) -> Disclosure:
    row = opened(**kwargs)
    row = disclosure.submit_for_review(row, actor=users["inspector"])
    row = disclosure.approve_redaction(row, actor=users["chief"], severity="ordinary",
                                       months=6)
    return disclosure.publish(row, actor=users["inspector"])


_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_DIGITS = re.compile(r"\d{13,19}")


def personal_numbers(text: str) -> list[str]:
    """Every valid ID number, mobile number and Luhn-valid card number in ``text``."""
    found = [m for m in _ID.findall(text) if is_resident_id(m)]
    found += _MOBILE.findall(text)
    compact = re.sub(r"(?<=\d)[ -](?=\d)", "", text)
    for run in _DIGITS.findall(compact):
        for size in range(13, 20):
            for start in range(0, len(run) - size + 1):
                if luhn.is_valid(run[start:start + size]):
                    found.append(run[start:start + size])
    return found
