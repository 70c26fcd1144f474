"""What accident records tell the key-supervision list (inspections, which may not import
enforcement): enterprises with an accident in the year before the list's year are
inspected at least 4 times (the list's "近一年发生生产安全事故" reason). One query."""

from __future__ import annotations

from django.db.models import QuerySet

from enterprises.models import Enterprise

from .models import Accident


def enterprises_with_accidents(enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    return set(Accident.objects.filter(enterprise_id__in=enterprises.values("pk"),
                                       occurred_at__year=year - 1)
               .values_list("enterprise_id", flat=True).distinct())


def connect() -> None:
    from inspections.key_supervision.services import register_key_hook

    register_key_hook("accident", enterprises_with_accidents)
