"""Password rules an MLPS level-3 assessment asks for (beyond Django's own validators)."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or c.isspace() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须至少包含大写字母、小写字母、数字、符号中的三类。"),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须至少包含大写字母、小写字母、数字、符号中的三类。")


class NotUsernameValidator:
    """The password must not contain the username (either way round, any case)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        lowered = password.lower()
        if username and (username in lowered or lowered in username):
            raise ValidationError(_("密码不得包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不得包含用户名。")
