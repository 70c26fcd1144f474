"""Demo data of the credit app (called by `manage.py seed_demo` after the enforcement demo):
safety commitments (one broken), the year's integrity ratings of 西湖区 and 滨江区
(computed, reviewed, published), and blacklist entries in every state, all driven
through the real services by the right people; their pushes wait in the outbox and the
relay delivers them to the fake credit platform once `make run`'s worker is up (beat
runs the relay every minute; the outbox page, /credit/outbox/, shows them sent).

Blacklist entries rest on penalty decisions of enterprises within 令11号 第二条's
scope: the enforcement demo's decisions of 西湖区 and 滨江区 that qualify, and 当场处罚
decisions this module makes in 上城区 (its generated officers) for the rest, so no
enforcement demo case changes. The 12-month and 3-year states need a listing in the past:
the listing date is given through ``decide``'s ``today`` (as the tests do), after the
party's objection was answered (the window closes with the answer), never by writing a
status. Idempotent: nothing is added once a demo entry exists.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from credit.blacklist import rules as blacklist_rules
from credit.blacklist import services as blacklist
from credit.blacklist.models import BlacklistEntry
from credit.ratings import services as ratings
from credit.ratings.models import IntegrityRating, RatingRule
from credit.ratings.seeding import seed_rules
from enforcement.cases import services as cases
from enforcement.cases.models import Case, CaseParty, PartyRole, PenaltyDecision
from enforcement.grounds.models import PartyKind
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, User

B = BlacklistEntry.Status
RATED = ("330106", "330108")
#: district → (inspector, section chief, head), the demo accounts of API.md.
TEAMS = {"330106": ("xihu_inspector", "xihu_chief", "xihu_approver"),
         "330108": ("binjiang_inspector", "binjiang_chief", "binjiang_approver")}
#: The district whose generated officers make the extra 当场处罚 decisions.
EXTRA = "330102"
PREFIX = {"330106": "西", "330108": "滨", "330102": "上"}
SIGNS = ("《中华人民共和国安全生产法》第三十五条、第九十九条第（一）项",
         "未在有较大危险因素的生产经营场所设置明显的安全警示标志")


@dataclass(frozen=True)
class People:
    staff: User
    head: User


def seed(*, rng: random.Random, scale: int, stdout: Any) -> None:
    authorities = {a.jurisdiction.code: a for a in Authority.objects.filter(
        code__in=[f"EM-{d}" for d in (*RATED, EXTRA)]).select_related("jurisdiction")}
    if len(authorities) < 3 or BlacklistEntry.objects.filter(
            authority__in=authorities.values()).exists():
        return
    users = {u.username: u for u in User.objects.filter(
        username__in=[n for team in TEAMS.values() for n in team]
        + [f"insp_{EXTRA}_001", f"insp_{EXTRA}_002", f"approver_{EXTRA}"])}
    if len(users) < 9:
        return
    seed_rules(RatingRule)  # a flushed database (tests) lost the migration's rows
    with transaction.atomic():
        counts = {d: _rate(authorities[d], *(users[n] for n in TEAMS[d])) for d in RATED}
        entries = _blacklist(authorities, users)
    stdout.write(f"credit demo: ratings {counts}, {len(entries)} blacklist entries in "
                 f"{len({e.status for e in entries})} states, pushes queued in the outbox")


# --- Commitments and ratings -------------------------------------------------------------

def _rate(authority: Authority, inspector: User, chief: User, head: User) -> int:
    today = timezone.localdate()
    sites = list(ratings.rated_enterprises(authority).order_by("id")[:4])
    for n, site in enumerate(sites):
        row = ratings.record_commitment(
            site, actor=inspector, signed_on=datetime.date(today.year, 1, 2),
            content="严格落实安全生产主体责任，按期消除事故隐患，如实报告生产安全事故。")
        if n == 0:
            ratings.record_breach(row, actor=inspector, on=today,
                                  reason="承诺按期整改的重大事故隐患逾期未整改。")
    count = ratings.compute_year(authority, today.year, actor=inspector)
    rows = list(IntegrityRating.objects.filter(authority=authority, year=today.year,
                                               status=IntegrityRating.Status.COMPUTED)
                .order_by("enterprise_id"))
    # A third published, a third reviewed, the rest waiting for review.
    for n, rating in enumerate(rows[:2 * len(rows) // 3]):
        ratings.review(rating, actor=chief)
        if n < len(rows) // 3:
            ratings.publish(rating, actor=head)
    return count


# --- Blacklist ---------------------------------------------------------------------------

def _in_scope(decision: PenaltyDecision) -> bool:
    site = decision.case.enterprise
    return site is not None and blacklist_rules.in_scope(site.sector, site.industry_id)


def _demo_decisions(authority: Authority) -> list[PenaltyDecision]:
    rows = (PenaltyDecision.objects.filter(case__authority=authority,
                                           party__role=PartyRole.UNIT)
            .exclude(status=PenaltyDecision.Status.REVOKED)
            .select_related("case__enterprise").order_by("id"))
    return [d for d in rows if _in_scope(d)]


def _on_the_spot(authority: Authority, officers: list[User], n: int) -> list[PenaltyDecision]:
    """``n`` 当场处罚 decisions against in-scope enterprises of ``authority`` that have no
    case yet (a fine within the summary limit, handed over on the spot)."""
    sites = list(Enterprise.objects.filter(
        supervising_authority=authority, status=Enterprise.Status.OPERATING,
        sector__in=blacklist_rules.SCOPE_SECTORS).exclude(cases__isnull=False)
        .order_by("id")[:n])
    out = []
    basis, wording = SIGNS
    for site in sites:
        case = cases.open_case(
            actor=officers[0], authority=authority, source=Case.Source.INSPECTION,
            title=f"{site.name}{wording}（当场处罚）", officers=officers, enterprise=site,
            facts=f"现场检查发现{site.name}{wording}，违法事实确凿。",
            parties=[{"kind": PartyKind.ORGANISATION, "role": PartyRole.UNIT,
                      "name": site.name, "identifier": site.uscc or "",
                      "address": site.address[:200]}])
        party: CaseParty = case.parties.get()
        cases.summary_procedure_decision(case, actor=officers[0], party=party,
                                         kinds=["fine"], fine_amount="2000", basis=basis)
        out.append(case.decisions.get())
    return out


def _ago(months: int) -> datetime.date:
    return blacklist_rules.add_months(timezone.localdate(), -months)


Walk = Callable[[BlacklistEntry, People, str], BlacklistEntry]


def _to_decided(entry: BlacklistEntry, p: People, number: str,
                on: datetime.date | None = None) -> BlacklistEntry:
    entry = blacklist.notify(entry, actor=p.staff)
    entry = blacklist.record_objection(entry, actor=p.staff,
                                       text="当事人提出异议：已于检查后整改完毕，请求不予列入。")
    entry = blacklist.answer_objection(entry, actor=p.staff,
                                       answer="经复核，违法事实清楚，异议理由不成立，不予采纳。")
    return blacklist.decide(entry, actor=p.head, decision_number=number, today=on)


def _published(entry: BlacklistEntry, p: People, number: str,
               on: datetime.date | None = None) -> BlacklistEntry:
    return blacklist.publish_entry(_to_decided(entry, p, number, on), actor=p.staff)


def _removal_requested(entry: BlacklistEntry, p: People, number: str) -> BlacklistEntry:
    return blacklist.request_early_removal(
        _published(entry, p, number, _ago(13)), actor=p.staff,
        application="列入已满12个月，已完成整改并通过复查，申请提前移出。")


def _removed(entry: BlacklistEntry, p: People, number: str) -> BlacklistEntry:
    return blacklist.approve_removal(_removal_requested(entry, p, number), actor=p.head,
                                     reason="经核查，整改到位，符合提前移出条件。")


#: The state each demo entry ends in, and how it gets there (the first ones go to the
#: demo accounts' districts).
STATES: tuple[tuple[str, Walk], ...] = (
    ("published", _published),
    ("objection", lambda e, p, n: blacklist.record_objection(
        blacklist.notify(e, actor=p.staff), actor=p.staff, text="当事人对列入事由提出异议。")),
    ("proposed", lambda e, p, n: e),
    ("notified", lambda e, p, n: blacklist.notify(e, actor=p.staff)),
    ("decided", _to_decided),
    ("removal_requested", _removal_requested),
    ("removed", _removed),
    ("restored", lambda e, p, n: blacklist.revoke_removal(
        _removed(e, p, n), actor=p.head,
        reason="经查，提前移出申请材料弄虚作假，撤销移出决定，恢复列入。")),
    ("expired", lambda e, p, n: blacklist.expire(_published(e, p, n, _ago(37)))),
    ("withdrawn", lambda e, p, n: blacklist.withdraw(
        blacklist.notify(e, actor=p.staff), actor=p.head,
        reason="经陈述申辩，情节不属严重，不予列入。")),
)


def _blacklist(authorities: dict[str, Authority], users: dict[str, User]
               ) -> list[BlacklistEntry]:
    people = {d: People(users[TEAMS[d][0]], users[TEAMS[d][2]]) for d in RATED}
    people[EXTRA] = People(users[f"insp_{EXTRA}_001"], users[f"approver_{EXTRA}"])
    pool = [(d, x) for d in RATED for x in _demo_decisions(authorities[d])]
    missing = max(0, len(STATES) - len(pool))
    extra_officers = [users[f"insp_{EXTRA}_001"], users[f"insp_{EXTRA}_002"]]
    pool += [(EXTRA, x) for x in _on_the_spot(authorities[EXTRA], extra_officers, missing)]
    made = []
    year = timezone.localdate().year
    for n, ((state, walk), (district, decision)) in enumerate(
            zip(STATES, pool, strict=False), start=1):
        p = people[district]
        site = decision.case.enterprise
        assert site is not None  # _in_scope and _on_the_spot pick enterprises' decisions
        entry = blacklist.propose(
            decision, actor=p.head, ground="other_severe" if n % 2 else "refuse_execution",
            reasons=f"{site.name}安全生产违法行为性质恶劣、情节严重"
                    f"（演示数据：{state}）。", principal_name="")
        made.append(walk(entry, p, f"{PREFIX[district]}应急失〔{year}〕{n}号"))
    return made
