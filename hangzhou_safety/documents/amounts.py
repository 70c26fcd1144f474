"""Amounts of money in Chinese capitals (大写金额), as written on official documents.

Pure: no Django import. The rules are those of the People's Bank's bill-writing
practice (正确填写票据和结算凭证的基本规定):

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside a group of four, groups 万 and 亿;
- a run of zeros inside the figure is written as one 零; zeros at the end of a group
  are dropped, and a group that is all zeros writes no group unit (except that a
  zero group between non-zero groups still yields one 零: 壹亿零壹元);
- 整 (or 正) follows when there are no fen: 壹元整, 壹元伍角整; with fen nothing follows;
- zero yuan with jiao/fen writes no 元 (人民币伍分).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")
PREFIX = "人民币"
#: Largest amount written: below 10^16 yuan (the 万亿 group is the last one).
MAX_YUAN = 10**16 - 1


def _group(value: int) -> str:
    """One group of four digits (1..9999), with inner zeros, no leading or trailing 零."""
    out: list[str] = []
    zero_pending = False
    for position in range(3, -1, -1):
        digit = (value // 10**position) % 10
        if digit == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(DIGITS[digit] + SMALL_UNITS[position])
    return "".join(out)


def _integer(yuan: int) -> str:
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    out: list[str] = []
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            if out:
                zero_pending = True
            continue
        # A gap before this group: a zero group, or leading zeros inside it (1,0001 → 壹万零壹).
        if out and (zero_pending or value < 1000):
            out.append("零")
        zero_pending = False
        out.append(_group(value) + GROUP_UNITS[index])
    return "".join(out)


def to_decimal(amount: Decimal | int | str | float) -> Decimal:
    """The amount as yuan with two decimals; refuses negatives, NaN and more than fen."""
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"not an amount: {amount!r}")
    quantised = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if quantised != value:
        raise ValueError(f"amount has fractions of a fen: {amount!r}")
    if quantised > MAX_YUAN:
        raise ValueError(f"amount too large: {amount!r}")
    return quantised


def to_capitals(amount: Decimal | int | str, *, prefix: bool = True) -> str:
    """``Decimal("12345.60")`` → ``人民币壹万贰仟叁佰肆拾伍元陆角整``."""
    value = to_decimal(amount)
    fen_total = int(value * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    head = PREFIX if prefix else ""
    if fen_total == 0:
        return head + "零元整"
    parts = []
    if yuan:
        parts.append(_integer(yuan) + "元")
    if jiao:
        parts.append(DIGITS[jiao] + "角")
    elif yuan and fen:
        parts.append("零")  # 壹元零伍分: the missing jiao is read as 零
    if fen:
        parts.append(DIGITS[fen] + "分")
    else:
        parts.append("整")
    return head + "".join(parts)


_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)}
_SMALL_VALUE = {"拾": 10, "佰": 100, "仟": 1000}


def from_capitals(text: str) -> Decimal:
    """The inverse of :func:`to_capitals` (used by the tests' round-trip, and to check a
    figure typed on a paper form)."""
    body = text.removeprefix(PREFIX)
    if body.endswith("整") or body.endswith("正"):
        body = body[:-1]
    yuan_text, _, cents_text = body.partition("元") if "元" in body else ("", "", body)
    total = Decimal(_parse_integer(yuan_text))
    digit = 0
    for char in cents_text:
        if char in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[char]
        elif char == "角":
            total += Decimal(digit) / 10
            digit = 0
        elif char == "分":
            total += Decimal(digit) / 100
            digit = 0
        else:
            raise ValueError(f"unexpected {char!r} in {text!r}")
    return total.quantize(Decimal("0.01"))


def _parse_integer(text: str) -> int:
    # Groups are written strictly from the highest down and each is below 10^4, so a
    # group unit multiplies only the section written since the previous one.
    group_value = {"兆": 10**12, "亿": 10**8, "万": 10**4}
    total = section = number = 0
    for char in text.replace("万亿", "兆"):
        if char in _DIGIT_VALUE:
            number = _DIGIT_VALUE[char]
        elif char in _SMALL_VALUE:
            section += number * _SMALL_VALUE[char]
            number = 0
        elif char in group_value:
            total += (section + number) * group_value[char]
            section = number = 0
        else:
            raise ValueError(f"unexpected {char!r} in {text!r}")
    return total + section + number
