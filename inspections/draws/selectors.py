"""Reads of the draws sub-domain shared by the services, the API and the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.api.errors import InvalidInput
from inspections.draws.models import ObjectDirectory

#: Inspectors who may be drawn (a section chief inspects too).
DRAWABLE_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF)


def enterprises_of_authority(authority: Authority) -> QuerySet[Enterprise]:
    """Enterprises an authority answers for: located in or supervised from its area."""
    path = authority.jurisdiction.path
    if authority.jurisdiction.kind == "city":
        return Enterprise.objects.all()
    return Enterprise.objects.filter(Q(location_path__startswith=path)
                                     | Q(supervisor_path__startswith=path))


def directory_enterprises(directory: ObjectDirectory, user: Any) -> QuerySet[Enterprise]:
    """Operating enterprises of the directory, visible to the user and within the
    directory's authority (a municipal admin drawing for 西湖区 gets 西湖区 only)."""
    base = (Enterprise.objects.visible_to(user)
            .filter(pk__in=enterprises_of_authority(directory.authority).values("pk"))
            .filter(status=Enterprise.Status.OPERATING))
    filterset = EnterpriseFilter(directory.filter_params or {}, queryset=base)
    if not filterset.is_valid():
        raise InvalidInput("名录库的筛选条件已失效，请修改名录库。",
                           "The directory's saved filter is no longer valid.")
    return filterset.qs


def inspector_pool(authority: Authority, day: datetime.date) -> QuerySet[User]:
    """执法检查人员名录库: certified inspectors of the authority, certificate valid on `day`."""
    return (User.objects.filter(authority=authority, is_active=True, role__in=DRAWABLE_ROLES)
            .exclude(certificate_number="")
            .filter(certificate_valid_until__gte=day))
