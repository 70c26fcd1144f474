"""Role checks. Jurisdiction is never checked here: querysets do it (visible_to)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from hangzhou_safety.accounts.models import Role


class IsStaffMember(BasePermission):
    """Authenticated staff with an authority (or a superuser)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active
                    and getattr(user, "role", "") != Role.PARTNER
                    and (user.is_superuser or user.authority_id))


def roles_allowed(*roles: str, read_roles: tuple[str, ...] | None = None) -> type[BasePermission]:
    """A permission class: `roles` may write; `read_roles` (default: every role) may read."""

    class _HasRole(IsStaffMember):
        def has_permission(self, request: Any, view: Any) -> bool:
            if not super().has_permission(request, view):
                return False
            allowed = roles if request.method not in SAFE_METHODS else (read_roles or roles)
            return bool(request.user.has_role(*allowed))

    _HasRole.__name__ = "HasRole_" + "_".join(roles)
    # Declared for the generated permission matrix (tests/platform), which expects a 403
    # for every role outside these.
    _HasRole.write_roles = tuple(roles)  # type: ignore[attr-defined]
    _HasRole.read_roles = tuple(read_roles or roles)  # type: ignore[attr-defined]
    return _HasRole


#: Every staff role. A partner department's account (联合惩戒成员单位) is not staff: it
#: may only ask the restriction query, whatever authority it is given by mistake.
ALL_ROLES = tuple(r for r in Role.values if r != Role.PARTNER)
SUPERVISORY_ROLES = (Role.MUNICIPAL_ADMIN, Role.DISTRICT_APPROVER, Role.SECTION_CHIEF,
                     Role.AUDITOR)
