"""Account services: creating staff users with the rules that apply to them."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from hangzhou_safety.api.errors import InvalidInput

from .models import Authority, Role, User


@transaction.atomic
def create_staff_user(*, username: str, password: str, full_name: str, role: str,
                      authority: Authority, actor: Any = None,
                      certificate_number: str = "",
                      certificate_valid_until: datetime.date | None = None,
                      **extra: Any) -> User:
    """Create a staff user; the password must pass the MLPS rules."""
    if role not in Role.values:
        raise InvalidInput(f"未知角色：{role}", f"Unknown role: {role}")
    if role == Role.INSPECTOR and not certificate_number:
        raise InvalidInput("执法人员必须登记执法证号。",
                           "An inspector needs an enforcement certificate number.")
    user = User(username=username, full_name=full_name, role=role, authority=authority,
                certificate_number=certificate_number,
                certificate_valid_until=certificate_valid_until, **extra)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    from hangzhou_safety.audit.services import record_event

    record_event("accounts.user_created", actor=actor, obj=user,
                 new={"username": username, "role": role, "authority": authority.code})
    return user
