"""What credit tells the key-supervision list (inspections, which may not import credit):
enterprises with a bad record, to be inspected at least 4 times a year (DOMAIN.md B6:
"firms with 不良记录 inspected ≥4 times/year" [P]).

A bad record for the list of year Y, as the bureau sets it (本局设定): a violation record
of the enterprise decided in Y-1 or Y and not removed, a current blacklist entry, or a
published C or D rating of Y-1 or Y. One query whatever the number of enterprises.
"""

from __future__ import annotations

from django.db.models import QuerySet

from credit.blacklist.models import CURRENT, BlacklistEntry
from credit.violations.models import SubjectKind, ViolationRecord
from enterprises.models import Enterprise

from .models import IntegrityRating, RatingLevel


def bad_credit_enterprises(enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    ids = enterprises.values("pk")
    violations = ViolationRecord.objects.filter(
        enterprise_id__in=ids, subject_kind=SubjectKind.ENTERPRISE,
        decided_on__year__in=[year - 1, year]).exclude(
        status=ViolationRecord.Status.REMOVED).values_list("enterprise_id", flat=True)
    listed = BlacklistEntry.objects.filter(enterprise_id__in=ids, status__in=CURRENT
                                           ).values_list("enterprise_id", flat=True)
    rated = IntegrityRating.objects.filter(
        enterprise_id__in=ids, year__in=[year - 1, year],
        status=IntegrityRating.Status.PUBLISHED,
        level__in=[RatingLevel.C, RatingLevel.D]).values_list("enterprise_id", flat=True)
    # One statement (UNION) whatever the number of enterprises.
    return {pk for pk in violations.order_by().union(listed.order_by(), rated.order_by())
            if pk is not None}


def connect() -> None:
    from inspections.key_supervision.services import register_key_hook

    register_key_hook("bad_credit", bad_credit_enterprises)
