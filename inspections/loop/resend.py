"""A second delivery of something the phone (or an API client) already sent.

Creation, answers, photos and signatures carry a client-generated id. A resend after a
lost response finds the row the first delivery made and changes nothing; the same id
used for something else (another inspection, another item, another officer's
inspection) is refused, never silently taken for the other row.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db.models import Model

from hangzhou_safety.api.errors import DomainError, InvalidInput

M = TypeVar("M", bound=Model)


def earlier_delivery(model: type[M], client_id: uuid.UUID | None, **owner: Any) -> M | None:
    """The row an earlier delivery of ``client_id`` made, if any; refused when that row
    does not belong to ``owner`` (``inspection_id=…``, ``item_id=…``)."""
    if client_id is None:
        return None
    existing = model._default_manager.filter(client_id=client_id).first()
    if existing is None:
        return None
    if any(getattr(existing, field) != value for field, value in owner.items()):
        raise DomainError("该提交编号已被使用。", "This client id is already used.",
                          code="duplicate_client_id")
    return existing


def parse_client_id(raw: str | None) -> uuid.UUID | None:
    """A form's ``client_id`` (empty: none), refused in Chinese when it is no UUID."""
    if not raw:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError as exc:
        raise InvalidInput("提交编号无效。", "Invalid client id.",
                           fields={"client_id": ["提交编号无效。"]}) from exc
