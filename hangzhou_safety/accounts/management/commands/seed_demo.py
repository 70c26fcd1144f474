"""Deterministic demo data: the jurisdiction tree, authorities and the demo accounts.

Same seed, same rows: re-running updates in place. `--scale N` multiplies the
generated volume for benchmarks (later issues add enterprises, plans, cases...).
"""

from __future__ import annotations

import datetime
import os
import random
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role, User
from hangzhou_safety.accounts.reference import load_authorities, load_jurisdictions

DEFAULT_PASSWORD = "Demo-2026-hz"  # noqa: S105  (documented demo password, API.md)
CERT_VALID_UNTIL = datetime.date(2029, 12, 31)

# username, full name, role, authority code, certificate number, extra flags
DEMO_ACCOUNTS: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    ("admin", "市局管理员", Role.MUNICIPAL_ADMIN, "EM-330100", "",
     {"is_staff": True, "is_superuser": True}),
    ("xihu_inspector", "王建国", Role.INSPECTOR, "EM-330106", "33010620001",
     {"professionally_qualified": True}),
    ("xihu_inspector2", "李晓燕", Role.INSPECTOR, "EM-330106", "33010620002",
     {"professionally_qualified": True}),
    ("xihu_chief", "陈立新", Role.SECTION_CHIEF, "EM-330106", "33010620003",
     {"legal_qualification": True, "professionally_qualified": True}),
    ("xihu_approver", "赵明", Role.DISTRICT_APPROVER, "EM-330106", "33010620004", {}),
    ("xihu_auditor", "周静", Role.AUDITOR, "EM-330106", "", {}),
    ("binjiang_inspector", "孙伟", Role.INSPECTOR, "EM-330108", "33010820001",
     {"professionally_qualified": True}),
    ("binjiang_approver", "吴芳", Role.DISTRICT_APPROVER, "EM-330108", "33010820002", {}),
    # 滨江区's second case officer and its legal reviewer, so its demo cases have the
    # two certified officers and a qualified reviewer who did not investigate.
    ("binjiang_inspector2", "钱磊", Role.INSPECTOR, "EM-330108", "33010820003",
     {"professionally_qualified": True}),
    ("binjiang_chief", "郑丽", Role.SECTION_CHIEF, "EM-330108", "33010820004",
     {"legal_qualification": True, "professionally_qualified": True}),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"


class Command(BaseCommand):
    help = "Create deterministic demo data (jurisdictions, authorities, demo accounts)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=int, default=1,
                            help="multiply generated volume (benchmarks)")
        parser.add_argument("--seed", type=int, default=20261130)

    @transaction.atomic
    def handle(self, *args: Any, scale: int, seed: int, **options: Any) -> None:
        rng = random.Random(seed)  # noqa: S311  (deterministic demo data, not security)
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        load_jurisdictions(Jurisdiction)
        load_authorities(Jurisdiction, Authority)
        for username, name, role, authority_code, cert, flags in DEMO_ACCOUNTS:
            self._account(username, name, role, authority_code, cert, flags, password)
        created = self._district_inspectors(rng, scale, password)
        self.stdout.write(self.style.SUCCESS(
            f"seed_demo: {Jurisdiction.objects.count()} jurisdictions, "
            f"{Authority.objects.count()} authorities, {len(DEMO_ACCOUNTS)} demo accounts, "
            f"{created} generated inspectors"))
        # Domain apps add their demo data through a `demo.seed(rng=, scale=, stdout=)` hook,
        # so the platform never imports them (imports follow the data flow).
        for config in apps.get_app_configs():
            try:
                hook = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            hook.seed(rng=random.Random(f"{seed}:{config.label}"), scale=scale,  # noqa: S311
                      stdout=self.stdout)

    def _account(self, username: str, name: str, role: str, authority_code: str, cert: str,
                 flags: dict[str, Any], password: str) -> User:
        authority = Authority.objects.get(code=authority_code)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"full_name": name, "role": role, "authority": authority,
                      "certificate_number": cert,
                      "certificate_valid_until": CERT_VALID_UNTIL if cert else None,
                      "is_active": True, **flags})
        user.set_password(password)
        user.save(update_fields=["password"])
        return user

    def _district_inspectors(self, rng: random.Random, scale: int, password: str) -> int:
        """Per district bureau: a section chief, an approver, and two certified inspectors
        per scale step."""
        bureaus = Authority.objects.filter(kind=Authority.Kind.DISTRICT_BUREAU).select_related(
            "jurisdiction").order_by("code")
        count = 0
        hashed = None
        for bureau in bureaus:
            district = bureau.jurisdiction.code
            # A section chief and an approver per district, so every district can write
            # and approve its plan in the demo.
            for username, role, serial in ((f"chief_{district}", Role.SECTION_CHIEF, 8001),
                                           (f"approver_{district}", Role.DISTRICT_APPROVER,
                                            8002)):
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={"full_name": name, "role": role, "authority": bureau,
                              "certificate_number": f"{district}{serial}",
                              "certificate_valid_until": CERT_VALID_UNTIL,
                              "legal_qualification": role == Role.SECTION_CHIEF})
                if hashed is None:
                    user.set_password(password)
                    hashed = user.password
                else:
                    user.password = hashed
                user.save(update_fields=["password"])
            for n in range(1, 2 * scale + 1):
                username = f"insp_{district}_{n:03d}"
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={"full_name": name, "role": Role.INSPECTOR, "authority": bureau,
                              "certificate_number": f"{district}3{n:04d}",
                              "certificate_valid_until": CERT_VALID_UNTIL,
                              "professionally_qualified": n % 4 != 0})
                # Hashing is deliberately slow; hash once and reuse it for generated staff.
                if hashed is None:
                    user.set_password(password)
                    hashed = user.password
                else:
                    user.password = hashed
                user.save(update_fields=["password"])
                count += 1
        return count
