"""Who may edit the rules and records kept as data in the admin: the municipal
administrator (and superusers). One check for every app's admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hangzhou_safety.accounts.models import Role


def is_municipal_admin(user: Any) -> bool:
    return bool(user and user.is_active
                and (user.is_superuser or getattr(user, "role", None) == Role.MUNICIPAL_ADMIN))


class MunicipalAdminOnly:
    """Admin permissions: the municipal administrator or a superuser, nobody else."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_municipal_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_municipal_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_municipal_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_municipal_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_municipal_admin(request.user)
