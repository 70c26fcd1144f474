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

import datetime
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


def is_resident_id(number: str) -> bool:
    """An 18-character resident ID number: its ISO 7064 check digit and its birth date.

    Not ``ric.is_valid``: that one also looks the area code up in stdnum's table of
    current codes, and cards issued under a code abolished since (330102, the old
    上城区, merged in 2021) are still carried by real people; such a number went
    through unmasked."""
    number = (number or "").upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    if ric.calc_check_digit(number) != number[17]:
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.datetime.now(datetime.UTC).date()


def _mask_id(match: re.Match[str], found: list[tuple[str, str]]) -> str:
    number = "".join(match.groups())
    if not is_resident_id(number):
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


# --- Spans: what was masked where (the disclosure reviewer's side-by-side view) ----------

#: An organisation's bank account, recognised by its label (no check digit to test).
_ACCOUNT = re.compile(
    r"((?:银行)?(?:开户)?(?:账号|帐号|账户|帐户)[：:\s]*)(\d(?:[ -]?\d){7,29})(?!\d)")


@dataclass(frozen=True)
class Span:
    """One masked piece: ``kind``, its place in the original (``start``/``end``) and in
    the masked text (``public_start``/``public_end``)."""

    kind: str
    start: int
    end: int
    public_start: int
    public_end: int

    def as_dict(self) -> dict[str, int | str]:
        return {"kind": self.kind, "start": self.start, "end": self.end,
                "public_start": self.public_start, "public_end": self.public_end}


@dataclass(frozen=True)
class SpanResult:
    text: str
    spans: tuple[Span, ...]


def _candidates(text: str, names: Iterable[str],
                phrases: Iterable[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """Every (start, end, kind, replacement) found in the original text, by the same
    patterns and check digits as :func:`mask_personal_data`."""
    found: list[tuple[int, int, str, str]] = []
    for match in _ID.finditer(text):
        number = "".join(match.groups())
        if is_resident_id(number):
            found.append((match.start(), match.end(), "id_number",
                          number[:6] + "*" * 10 + number[-2:]))
    for match in _MOBILE.finditer(text):
        found.append((match.start(), match.end(), "mobile",
                      f"{match.group(2)}****{match.group(4)}"))
    for match in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(1))
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            found.append((match.start(), match.end(), "bank_card",
                          f"{digits[:4]} **** **** {digits[-4:]}"))
    for match in _ACCOUNT.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(2))
        found.append((match.start(2), match.end(2), "bank_account",
                      "*" * (len(digits) - 4) + digits[-4:]))
    for match in _LANDLINE.finditer(text):
        found.append((match.start(), match.end(), "landline",
                      f"{match.group(1)}-****{match.group(3)[-2:]}"))
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            found.append((match.start(), match.end(), "name",
                          name[0] + "*" * (len(name) - 1)))
    for kind, phrase in phrases:
        phrase = (phrase or "").strip()
        if len(phrase) < 2:
            continue
        for match in re.finditer(re.escape(phrase), text):
            found.append((match.start(), match.end(), kind, "*" * len(phrase)))
    return found


def mask_with_spans(text: str, *, names: Iterable[str] = (),
                    phrases: Iterable[tuple[str, str]] = ()) -> SpanResult:
    """Mask ``text`` (personal numbers by pattern and check digit, the ``names`` of
    natural persons, and ``phrases`` given as (kind, text), such as a home address) and
    say where: spans in the original and in the masked text, never overlapping (the
    earliest, then the longest piece wins). The original is not changed."""
    text = text or ""
    chosen: list[tuple[int, int, str, str]] = []
    for start, end, kind, replacement in sorted(
            _candidates(text, names, phrases), key=lambda c: (c[0], -(c[1] - c[0]))):
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, kind, replacement))
    out: list[str] = []
    spans: list[Span] = []
    cursor = length = 0
    for start, end, kind, replacement in chosen:
        out.append(text[cursor:start])
        length += start - cursor
        out.append(replacement)
        spans.append(Span(kind, start, end, length, length + len(replacement)))
        length += len(replacement)
        cursor = end
    out.append(text[cursor:])
    return SpanResult(text="".join(out), spans=tuple(spans))
