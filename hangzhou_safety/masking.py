"""Masking of personal data in text shown to the public.

Used by every public output (the inspection verification page and its JSON today;
disclosed decisions later). Inspectors type free text on site, and a phone
number, an ID number or a bank card typed into a hidden-danger description must
not reach the public. Detection is by pattern *and* check digit where the number
has one (python-stdnum), so an ordinary number in the text (a quantity, a date,
a standard's number) is left alone:

- resident ID numbers (GB 11643, 18 characters with its ISO 7064 check digit),
  written with or without spaces;
- mainland mobile numbers (1[3-9] + 9 digits), optionally +86;
- landline numbers with an area code (0 + 2–3 digits, a dash or space, 7–8 digits);
- bank card numbers (13–19 digits passing the Luhn check, with optional spaces
  or dashes in groups);
- names of natural persons given by the caller (people known to the case other
  than the punished party), replaced wherever they appear.

The masked form keeps enough to recognise the kind of data ("110105**********2X",
"138****5678", "6222 **** **** 5678") and nothing that identifies the person.
The original text is never changed: the function returns a new string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stdnum import luhn
from stdnum.cn import ric

_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z])"

_ID = re.compile(_NOT_DIGIT_BEFORE + r"(\d{6})[ ]?(\d{8})[ ]?(\d{3}[0-9Xx])" + _NOT_DIGIT_AFTER)
_MOBILE = re.compile(r"(?<!\d)(\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?<!\d[ -])(0\d{2,3})[- ](\d{3,4})[- ]?(\d{4})(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d(?:[ -]?\d){12,18})(?!\d)")


@dataclass(frozen=True)
class MaskResult:
    text: str
    #: What was masked, by kind (for the reviewer's side-by-side view and tests).
    found: tuple[tuple[str, str], ...]


def _mask_id(match: re.Match[str], found: list[tuple[str, str]]) -> str:
    number = "".join(match.groups())
    if not ric.is_valid(number):
        return match.group(0)
    found.append(("id_number", match.group(0)))
    return number[:6] + "*" * 10 + number[-2:]


def _mask_mobile(match: re.Match[str], found: list[tuple[str, str]]) -> str:
    found.append(("mobile", match.group(0)))
    return f"{match.group(2)}****{match.group(4)}"


def _mask_landline(match: re.Match[str], found: list[tuple[str, str]]) -> str:
    found.append(("landline", match.group(0)))
    return f"{match.group(1)}-****{match.group(3)[-2:]}"


def _mask_card(match: re.Match[str], found: list[tuple[str, str]]) -> str:
    digits = re.sub(r"[ -]", "", match.group(1))
    if not 13 <= len(digits) <= 19 or not luhn.is_valid(digits):
        return match.group(0)
    found.append(("bank_card", match.group(0)))
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_personal_data(text: str, *, names: Iterable[str] = ()) -> MaskResult:
    found: list[tuple[str, str]] = []
    result = _ID.sub(lambda m: _mask_id(m, found), text or "")
    result = _MOBILE.sub(lambda m: _mask_mobile(m, found), result)
    result = _CARD.sub(lambda m: _mask_card(m, found), result)
    result = _LANDLINE.sub(lambda m: _mask_landline(m, found), result)
    # Longest names first, so "王小明" is masked before a shorter "王小" could split it.
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        if name in result:
            found.append(("name", name))
            result = result.replace(name, name[0] + "*" * (len(name) - 1))
    return MaskResult(text=result, found=tuple(found))


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """The masked text only (the common case for public pages)."""
    return mask_personal_data(text, names=names).text
