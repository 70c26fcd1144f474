"""The page side of a workflow step, written once: role check, service, message.

A form posts, the view calls a service; an illegal move (DomainError) becomes the
service's Chinese message on the page the user returns to, a success says so. The
service checks role, jurisdiction and separation of duties again: the role check
here only spares a user a form they could never submit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hangzhou_safety.api.errors import DomainError


def perform_step(request: HttpRequest, action: Callable[[], Any], *, roles: Iterable[str],
                 denied: str | Promise | None = None) -> bool:
    """Run ``action`` for a user holding one of ``roles``; True when it succeeded."""
    user: Any = request.user
    if not user.has_role(*roles):
        raise PermissionDenied(denied or _("您的角色无权执行此操作。"))
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.detail)
        return False
    messages.success(request, _("已保存。"))
    return True


def step_and_return(request: HttpRequest, action: Callable[[], Any], *, roles: Iterable[str],
                    to: str, denied: str | Promise | None = None) -> HttpResponse:
    """``perform_step`` and back to the page at ``to`` either way."""
    perform_step(request, action, roles=roles, denied=denied)
    return redirect(to)
