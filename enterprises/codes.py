"""Identifier validation: unified social credit codes (GB 32100-2015) and ID numbers.

python-stdnum implements the check characters (GB/T 17710 MOD 31 for the credit
code, GB 11643 MOD 11-2 for resident ID numbers); this module only normalises and
turns failures into Chinese messages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc


def normalise_uscc(value: str) -> str:
    return uscc.compact(value or "").upper()


def validate_uscc(value: str) -> None:
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为 18 位。", code="uscc_length")
    if not uscc.is_valid(code):
        raise ValidationError("统一社会信用代码校验位错误或含非法字符。", code="uscc_invalid")


def validate_id_number(value: str) -> None:
    number = ric.compact(value or "").upper()
    if len(number) != 18 or not ric.is_valid(number):
        raise ValidationError("居民身份证号码无效。", code="id_number_invalid")


def mask_id_number(value: str) -> str:
    """Never shown in full outside the registry's own staff views."""
    return value[:6] + "********" + value[-4:] if len(value) == 18 else "****"
