"""Demo data of the portal (called from enforcement/demo.py): the demo's decisions
reach the public side. Every disclosure the demo cases opened (pending) is submitted
by one of its case officers, its redaction approved by the district's section chief
(never a case officer) and published, through the disclosure services, except the
newest of each bureau, left pending so the staff's queue is not empty. Idempotent: a
bureau that already has a published disclosure is left alone."""

from __future__ import annotations

from typing import Any

from enforcement.cases.steps.common import _officer_ids
from enforcement.disclosure import services
from enforcement.disclosure.models import Disclosure
from hangzhou_safety.accounts.models import Role, User

DS = Disclosure.Status


def seed(*, stdout: Any) -> None:
    # Once anything is published the demo has run: a later seed_demo must not publish
    # what other apps' demos opened since (credit's 上城区 decisions stay pending).
    if Disclosure.objects.filter(status=DS.PUBLISHED).exists():
        return
    published = 0
    authorities = (Disclosure.objects.filter(status=DS.PENDING)
                   .values_list("authority_id", flat=True).distinct())
    for authority_id in sorted(set(authorities)):
        if Disclosure.objects.filter(authority_id=authority_id, status=DS.PUBLISHED).exists():
            continue
        rows = list(Disclosure.objects.filter(authority_id=authority_id, status=DS.PENDING)
                    .select_related("case").order_by("pk"))[:-1]
        for row in rows:
            officers = _officer_ids(row.case)
            officer = User.objects.filter(pk__in=officers).order_by("pk").first()
            chief = (User.objects.filter(authority_id=authority_id, role=Role.SECTION_CHIEF,
                                         is_active=True)
                     .exclude(pk__in=officers).order_by("pk").first())
            if officer is None or chief is None:
                continue
            row = services.submit_for_review(row, actor=officer)
            row = services.approve_redaction(row, actor=chief, severity="ordinary")
            services.publish(row, actor=officer)
            published += 1
    if published:
        stdout.write(f"portal demo: {published} decisions published on /public/decisions/")
