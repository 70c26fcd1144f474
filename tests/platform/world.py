"""A realistic world for the generated checks: the demo data of ``seed_demo`` (every
district's plan, 780 enterprises, inspections in every loop state for 西湖区 and
滨江区) plus the rows the demo makes for 西湖区 only (scheme, draw, directory, item
list, conflict, evidence, import job), made for 滨江区 too, so every collection has
an object on both sides of the jurisdiction line.

``seeded_world`` runs inside an outer transaction that the caller rolls back, so the
module's tests share one seeding and leave the test database as they found it.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from PIL import Image

from hangzhou_safety.accounts.models import Authority, Role, User

#: persona name → (username, role, district code)
PERSONAS: dict[str, tuple[str, str, str]] = {
    "admin": ("admin", Role.MUNICIPAL_ADMIN, ""),
    "xihu_approver": ("xihu_approver", Role.DISTRICT_APPROVER, "330106"),
    "xihu_chief": ("xihu_chief", Role.SECTION_CHIEF, "330106"),
    "xihu_inspector": ("xihu_inspector", Role.INSPECTOR, "330106"),
    "xihu_auditor": ("xihu_auditor", Role.AUDITOR, "330106"),
    "binjiang_approver": ("binjiang_approver", Role.DISTRICT_APPROVER, "330108"),
    "binjiang_chief": ("chief_330108", Role.SECTION_CHIEF, "330108"),
    "binjiang_inspector": ("binjiang_inspector", Role.INSPECTOR, "330108"),
    "binjiang_auditor": ("binjiang_auditor", Role.AUDITOR, "330108"),
}
#: Whose eyes define "another jurisdiction" for a persona of each district.
OUTSIDER = {"330106": "binjiang_approver", "330108": "xihu_approver"}


@dataclass
class World:
    users: dict[str, User]

    def outsider(self, persona: str) -> User | None:
        district = PERSONAS[persona][2]
        return self.users[OUTSIDER[district]] if district else None


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _csv_upload() -> SimpleUploadedFile:
    from enterprises.importing.columns import HEADERS

    return SimpleUploadedFile("import.csv", (",".join(HEADERS) + "\n").encode(),
                              content_type="text/csv")


def reload_reference_data() -> None:
    """What the migrations load, reloaded if a transactional test flushed it."""
    from hangzhou_safety.accounts.models import Jurisdiction
    from hangzhou_safety.accounts.reference import load_authorities, load_jurisdictions

    with transaction.atomic():
        if not Authority.objects.filter(code="EM-330108").exists():
            load_jurisdictions(Jurisdiction)
            load_authorities(Jurisdiction, Authority)
        _reference_data()


def _reference_data() -> None:
    from enterprises.models import IndustryClass
    from enterprises.reference import load_industry_classes
    from hangzhou_safety.workdays.models import CalendarYear
    from hangzhou_safety.workdays.seeding import seed_calendar

    if not IndustryClass.objects.exists():
        load_industry_classes(IndustryClass)
    if not CalendarYear.objects.filter(year=2026, published=True).exists():
        seed_calendar()


def seeded_world() -> World:
    from enterprises.importing import jobs
    from enterprises.models import Enterprise
    from inspections.checklists import services as schemes
    from inspections.draws import services as draws
    from inspections.evidence import services as evidence
    from inspections.models import (
        ChecklistTemplate,
        ConflictDeclaration,
        Inspection,
        InspectionScheme,
        RandomDraw,
    )

    reload_reference_data()
    call_command("seed_demo", stdout=io.StringIO())
    users = {}
    for persona, (username, role, district) in PERSONAS.items():
        if persona == "binjiang_auditor":
            user, _ = User.objects.get_or_create(
                username=username, defaults={"full_name": "滨江审计员", "role": role,
                                             "authority": Authority.objects.get(
                                                 code=f"EM-{district}")})
        else:
            user = User.objects.get(username=username)
        users[persona] = user
    year = timezone.localdate().year
    general = ChecklistTemplate.objects.get(code="GM-GEN-2026")
    for district, chief, inspector, second in (
            ("330108", users["binjiang_chief"], users["binjiang_inspector"],
             User.objects.get(username="insp_330108_001")),):
        authority = Authority.objects.get(code=f"EM-{district}")
        with transaction.atomic():
            if not InspectionScheme.objects.filter(authority=authority).exists():
                scheme = schemes.create_scheme({
                    "title": f"{year}年滨江区工贸企业检查方案", "area": "滨江区",
                    "content": "安全生产责任制落实", "focus": "除尘系统",
                    "start_date": datetime.date(year, 10, 8),
                    "end_date": datetime.date(year, 12, 31), "templates": [general.pk],
                    "team": [inspector.pk, second.pk]}, actor=inspector)
                schemes.submit_scheme(scheme, actor=inspector)
            if not RandomDraw.objects.filter(authority=authority).exists():
                directory = draws.create_object_directory(chief, "滨江区检查对象名录库",
                                                          {"district": district})
                items = draws.create_item_list(chief, "滨江区随机抽查事项清单", [general])
                draws.perform_draw(chief, directory, items, year=year, month=12, n=3,
                                   seed=f"matrix-{year}-{district}")
    for district, persona in (("330106", "xihu_inspector"), ("330108", "binjiang_inspector")):
        inspector = users[persona]
        authority = Authority.objects.get(code=f"EM-{district}")
        site = Enterprise.objects.filter(supervising_authority=authority).order_by("pk").first()
        if not ConflictDeclaration.objects.filter(inspector=inspector).exists():
            draws.declare_conflict(inspector, inspector, site, "亲属在该企业任职")
        started = (Inspection.objects.filter(authority=authority,
                                             status=Inspection.Status.IN_PROGRESS)
                   .order_by("pk").first())
        if started is not None and not started.evidence.exists():
            evidence.store_evidence(started, actor=started.inspectors.order_by("pk").first(),
                                    uploaded_file=SimpleUploadedFile(
                                        "现场.png", _png(), content_type="image/png"),
                                    kind="photo")
        jobs.create_dry_run(_csv_upload(), actor=inspector if district == "330108"
                            else users["xihu_chief"])
    from tests.platform.extensions import modules

    for module in modules():
        build = getattr(module, "build_world", None)
        if build is not None:
            with transaction.atomic():
                build(users)
    return World(users=users)
