"""The generated checks' reach into credit: blacklist entries (API and pages), the
partner query, the public blacklist, and the outbox page's deliveries; a world with an
entry per district and a dead delivery."""

from __future__ import annotations

from typing import Any

from tests.platform.surface import Collection


def _blacklist_steps() -> tuple[str, ...]:
    from credit.blacklist import views

    return tuple(views.STEPS_BY_NAME)


COLLECTIONS = {
    ("blacklist", "id"): Collection("credit.BlacklistEntry"),
    ("blacklist", "pk"): Collection("credit.BlacklistEntry"),
    # Deliveries belong to no jurisdiction: the outbox page is the municipal
    # administrator's alone.
    ("deliveries", "pk"): Collection("credit.Delivery", scope="global"),
    ("ratings", "id"): Collection("credit.IntegrityRating"),
    ("ratings", "pk"): Collection("credit.IntegrityRating"),
    ("commitments", "id"): Collection("credit.CreditCommitment"),
    ("commitments", "pk"): Collection("credit.CreditCommitment"),
    ("records", "id"): Collection("credit.ViolationRecord"),
}
STEP_VALUES = {"blacklist_step:step": _blacklist_steps(),
               "rating_step:step": ("review", "publish")}
PUBLIC_API = {("get", "/api/v1/public/blacklist/")}
PUBLIC_PAGES = {"public/blacklist/"}


def build_world(users: dict[str, Any]) -> None:
    import datetime

    from django.db import transaction

    from credit.blacklist.models import BlacklistEntry
    from credit.outbox import services as outbox
    from credit.outbox.models import Delivery
    from credit.violations.models import ViolationRecord
    from enforcement.cases.models import Case, PenaltyDecision
    from enterprises.models import Enterprise
    from hangzhou_safety.accounts.models import Authority, Role, User
    from tests.platform.drivers._cases import Staff, make_case

    for district, prefix in (("330106", "xihu"), ("330108", "binjiang")):
        authority = Authority.objects.get(code=f"EM-{district}")
        inspector = users[f"{prefix}_inspector"]
        colleague = (User.objects.filter(authority=authority, role=Role.INSPECTOR,
                                         certificate_number__gt="")
                     .exclude(pk=inspector.pk).order_by("pk").first())
        assert colleague is not None, f"{district}: no second certified inspector"
        site = Enterprise.objects.filter(supervising_authority=authority).order_by("pk")[2]
        staff = Staff(authority, inspector, users[f"{prefix}_approver"],
                      users[f"{prefix}_chief"], [inspector, colleague], site)
        served = make_case(Case.Status.SERVED, staff=staff)
        decision = served.decisions.get()
        PenaltyDecision.objects.filter(pk=decision.pk).update(
            basis="《中华人民共和国安全生产法》第一百一十四条")
        entry = BlacklistEntry.objects.create(
            authority=authority, enterprise=site, decision=decision, ground="fine_art114",
            reasons="情节特别严重", proposed_by=users[f"{prefix}_approver"])
        with transaction.atomic():
            message = outbox.enqueue(topic="blacklist.include", enterprise_id=site.pk,
                                     key=f"world:{entry.pk}", payload={"world": True})
        Delivery.objects.filter(message=message).update(status=Delivery.Status.DEAD,
                                                        last_error="world")
        # A violation record of the served decision (credit/records/<id>/).
        ViolationRecord.objects.get_or_create(decision=decision, defaults={
            "case": served, "authority": authority, "enterprise": site,
            "subject_kind": "enterprise", "subject_name": site.name, "uscc": site.uscc,
            "violation_type": served.title, "legal_basis": "安全生产法第一百一十四条",
            "decided_on": datetime.date(2026, 1, 5), "final_on": datetime.date(2026, 1, 6),
            "disclose_until": datetime.date(2031, 1, 5)})
    _rating_world(users)


def _rating_world(users: dict[str, Any]) -> None:
    import datetime

    from credit.ratings.models import CreditCommitment, IntegrityRating
    from enterprises.models import Enterprise
    from hangzhou_safety.accounts.models import Authority

    for district, prefix in (("330106", "xihu"), ("330108", "binjiang")):
        authority = Authority.objects.get(code=f"EM-{district}")
        site = Enterprise.objects.filter(supervising_authority=authority).order_by("pk")[3]
        # The demo (credit/demo.py) rates the district's enterprises of the year already;
        # a site it did not rate gets its rating here.
        if not IntegrityRating.objects.filter(enterprise=site, year=2026).exclude(
                status=IntegrityRating.Status.SUPERSEDED).exists():
            IntegrityRating.objects.create(
                enterprise=site, authority=authority, year=2026, level="B",
                inputs={"grade": "none"}, explanation=["世界数据"], computed_by=users["admin"])
        CreditCommitment.objects.create(enterprise=site, authority=authority,
                                        signed_on=datetime.date(2026, 1, 5),
                                        content="落实主体责任",
                                        recorded_by=users[f"{prefix}_inspector"])
