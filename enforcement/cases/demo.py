"""Demo enforcement cases (called by `manage.py seed_demo` through ``enforcement.demo``).

For 西湖区 and 滨江区: a case in every stage of the general procedure (pending, filed,
investigating, review, legal_review, collective, notified, hearing, decided, served,
executing, closed), one per other ending (declined, no_penalty, terminated, revoked)
and one summary-procedure case. Every case is driven through the real step services
by the right people (two certified officers, the head who is never an officer, the
legal reviewer who did not investigate), so their step records, clocks, audit events
and the numbered documents (行政处罚告知书 罚告 from the notice on, 行政处罚决定书 罚
from the decision on) exist as they would in use. The pending case is opened from a
hidden danger the demo inspection's re-check failed (escalated).

Everything happens today: the services stamp now(). The statement period is closed by
the party's recorded waiver (陈述申辩笔录), never by back-dating, so the decided cases
are reachable without moving the clock. Idempotent: a district that has cases is left
alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from enforcement.grounds.models import PartyKind
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, User
from hangzhou_safety.workdays.services import add_working_days, clock_rule
from inspections.loop import services as loop
from inspections.loop.models import Hazard

from . import documents, services
from .models import Case, CaseParty, EvidenceKind, PartyRole

S = Case.Status
DISTRICTS = ("330106", "330108")
#: district → (first officer, second officer, head, legal reviewer)
TEAMS = {
    "330106": ("xihu_inspector", "xihu_inspector2", "xihu_approver", "xihu_chief"),
    "330108": ("binjiang_inspector", "binjiang_inspector2", "binjiang_approver",
               "binjiang_chief"),
}
#: Enterprises the inspections demo visits come first; the cases take the next ones.
SKIP_ENTERPRISES = 5
LAW = "《中华人民共和国安全生产法》"
TRAINING = (f"{LAW}第二十八条第一款、第九十七条第（三）项",
            "未按照规定对从业人员进行安全生产教育和培训")
RECORDS = (f"{LAW}第二十八条第四款、第九十七条第（四）项", "未如实记录安全生产教育和培训情况")
EQUIPMENT = (f"{LAW}第三十六条第一款、第九十九条第（二）项",
             "安全设备的安装、使用不符合国家标准或者行业标准")
SIGNS = (f"{LAW}第三十五条、第九十九条第（一）项",
         "未在有较大危险因素的生产经营场所设置明显的安全警示标志")
HAZARD_BASIS = f"{LAW}第四十一条第二款、第一百零二条"


@dataclass(frozen=True)
class Spec:
    """One demo case: the status it ends in, its violation (basis, wording) and fine.
    ``major`` cases pass the legal review and the collective discussion."""

    stage: str
    violation: tuple[str, str]
    fine: Decimal = Decimal("0")
    major: bool = False


SPECS = (
    Spec(S.FILED, TRAINING, Decimal("20000")),
    Spec(S.INVESTIGATING, EQUIPMENT, Decimal("30000")),
    Spec(S.REVIEW, RECORDS, Decimal("10000")),
    Spec(S.LEGAL_REVIEW, TRAINING, Decimal("60000"), major=True),
    Spec(S.COLLECTIVE, EQUIPMENT, Decimal("50000"), major=True),
    Spec(S.NOTIFIED, RECORDS, Decimal("20000")),
    Spec(S.HEARING, TRAINING, Decimal("80000")),  # 较大数额: the party asks for a hearing
    Spec(S.DECIDED, EQUIPMENT, Decimal("30000")),
    Spec(S.SERVED, RECORDS, Decimal("15000")),
    Spec(S.EXECUTING, TRAINING, Decimal("60000")),  # deferred payment approved
    Spec(S.CLOSED, EQUIPMENT, Decimal("50000"), major=True),
    Spec(S.DECLINED, SIGNS),
    Spec(S.NO_PENALTY, SIGNS),
    Spec(S.TERMINATED, RECORDS),
    Spec(S.REVOKED, TRAINING, Decimal("30000")),
)
#: How far along the main path each stage lies (the endings branch off at theirs).
PATH: list[str] = [
    S.PENDING, S.FILED, S.INVESTIGATING, S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE, S.NOTIFIED,
    S.HEARING, S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED]
BRANCH: dict[str, str] = {S.DECLINED: S.PENDING, S.TERMINATED: S.INVESTIGATING,
                          S.NO_PENALTY: S.REVIEW, S.REVOKED: S.DECIDED}


@dataclass(frozen=True)
class Team:
    authority: Authority
    officer: User
    second: User
    head: User
    reviewer: User

    @property
    def officers(self) -> list[User]:
        return [self.officer, self.second]


def seed(*, stdout: Any) -> None:
    for district in DISTRICTS:
        authority = Authority.objects.filter(code=f"EM-{district}").first()
        if authority is None or Case.objects.filter(authority=authority).exists():
            continue
        names = TEAMS[district]
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        if len(users) != len(names):
            continue
        team = Team(authority, *(users[n] for n in names))
        companies = list(Enterprise.objects.filter(
            supervising_authority=authority, status=Enterprise.Status.OPERATING,
        ).order_by("id")[SKIP_ENTERPRISES:SKIP_ENTERPRISES + len(SPECS) + 2])
        if len(companies) < len(SPECS) + 2:
            continue
        with transaction.atomic():
            _from_hazard(team, companies[0])
            for spec, company in zip(SPECS, companies[1:], strict=False):
                _walk(_open(team, company, spec), team, spec)
            _summary(team, companies[-1])
        stdout.write(f"enforcement demo: {len(SPECS) + 2} cases in every stage for {district}, "
                     "with their notices and decisions")


# --- Opening ---------------------------------------------------------------------------

def _unit(company: Enterprise) -> dict[str, str]:
    return {"kind": PartyKind.ORGANISATION, "role": PartyRole.UNIT, "name": company.name,
            "identifier": company.uscc or "", "address": company.address[:200]}


def _open(team: Team, company: Enterprise, spec: Spec) -> Case:
    basis, wording = spec.violation
    return services.open_case(
        actor=team.officer, authority=team.authority, source=Case.Source.INSPECTION,
        title=f"{company.name}{wording}案", officers=team.officers, enterprise=company,
        facts=f"经现场检查，{company.name}{wording}，违反了{basis.split('、')[0]}的规定。",
        parties=[_unit(company)], is_major=spec.major)


def _from_hazard(team: Team, fallback: Enterprise) -> Case:
    """The pending case: opened from a hidden danger whose re-check failed, its filing
    form submitted and waiting for the head. Without a demo inspection to escalate, an
    inspection case stands in."""
    hazard = (Hazard.objects.filter(inspection__authority=team.authority,
                                    status=Hazard.Status.RECTIFYING)
              .select_related("inspection").order_by("id").first())
    if hazard is None:
        case = _open(team, fallback, Spec(S.PENDING, SIGNS))
    else:
        escalated = loop.record_recheck(hazard, actor=team.officer, passed=False,
                                        note="逾期复查，隐患仍未消除，建议立案查处")
        case = services.open_case_from_hazard(escalated, actor=team.officer,
                                              officers=team.officers)
    services.file_case(case, actor=team.officer,
                       text=f"隐患逾期未整改，涉嫌违反{HAZARD_BASIS}，建议立案。")
    return case


# --- The general procedure -------------------------------------------------------------

def _reaches(spec: Spec, stage: str) -> bool:
    end = BRANCH.get(spec.stage, spec.stage)
    return PATH.index(stage) <= PATH.index(end)


def _walk(case: Case, team: Team, spec: Spec) -> None:
    """Drive ``case`` along the main path up to ``spec.stage`` (or its branch point,
    then the ending)."""
    basis, wording = spec.violation
    officer, head = team.officer, team.head
    services.file_case(case, actor=officer)
    if spec.stage == S.DECLINED:
        services.decline_case(case, actor=head, reason="经核查，该单位已于检查当日设置警示标志，"
                              "违法事实轻微且已改正，不予立案。")
        return
    services.approve_filing(case, actor=head)
    if not _reaches(spec, S.INVESTIGATING):
        return
    services.start_investigation(case, actor=officer)
    services.register_evidence(case, actor=officer, kind=EvidenceKind.RECORD,
                               description="现场检查笔录（当事人主要负责人签字确认）")
    services.register_evidence(case, actor=team.second, kind=EvidenceKind.DOCUMENTARY,
                               description="安全生产教育培训档案、设备检测报告复印件")
    services.register_evidence(case, actor=officer, kind=EvidenceKind.AUDIOVISUAL,
                               description="执法记录仪视频及现场照片")
    if spec.stage == S.TERMINATED:
        services.terminate(case, actor=head, reason="当事人已依法注销，无财产可供执行，终止调查。")
        return
    if not _reaches(spec, S.REVIEW):
        return
    services.submit_investigation_report(
        case, actor=officer, report=f"经调查，当事人{wording}的事实清楚，证据确凿。",
        proposed_handling=(f"依据{basis}，建议罚款人民币{spec.fine:.0f}元。" if spec.fine
                           else "违法行为轻微并及时改正，建议不予处罚。"))
    if spec.stage == S.NO_PENALTY:
        services.no_penalty(case, actor=head, ground=Case.NoPenaltyGround.FIRST_MINOR,
                            reason="初次违法，危害后果轻微，已当场改正，依法不予处罚。")
        return
    if spec.major:
        services.legal_review(case, actor=team.reviewer, passed=True,
                              opinion="事实清楚，证据确凿，适用依据正确，程序合法，同意处理意见。")
        if not _reaches(spec, S.COLLECTIVE):
            return
        services.record_collective_discussion(
            case, actor=head, conclusion="经集体讨论，同意按拟处理意见作出行政处罚。",
            participants=[{"name": head.display_name, "position": "局长"},
                          {"name": team.reviewer.display_name, "position": "法制审核人员"},
                          {"name": "分管副局长", "position": "副局长"}])
    if not _reaches(spec, S.NOTIFIED):
        return
    party = case.parties.get()
    penalty = [{"party": party.pk, "kinds": ["fine"], "fine_amount": str(spec.fine)}]
    services.notify_party(case, actor=officer, penalties=penalty)
    documents.issue_prior_notices(Case.objects.get(pk=case.pk), actor=officer)
    if spec.stage == S.NOTIFIED:
        return
    if spec.stage == S.HEARING:
        services.request_hearing(case, actor=officer)
        ahead = clock_rule("hearing_notice_ahead").amount + 3
        day = add_working_days(timezone.localdate(), ahead).due
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        services.schedule_hearing(case, actor=officer, hearing_at=at, presider=team.reviewer)
        return
    services.record_statement(case, actor=officer, waived=True)
    services.issue_decision(case, actor=head, penalties=penalty, basis=basis)
    decision = case.decisions.get()
    documents.issue_decision_document(decision, actor=officer)
    if spec.stage == S.REVOKED:
        services.revoke(case, actor=head, reason="经复核，处罚决定适用依据错误，依法撤销。")
        return
    if not _reaches(spec, S.SERVED):
        return
    decision = services.record_service(decision, actor=officer, method="in_person",
                                       note="直接送达当事人主要负责人")
    if spec.stage == S.SERVED:
        return
    if spec.stage == S.EXECUTING:
        assert decision.payment_due is not None
        services.approve_deferral(decision, actor=head,
                                  until=decision.payment_due + datetime.timedelta(days=60),
                                  reason="当事人确有经济困难，申请延期缴纳罚款，经批准。")
        return
    services.record_payment(decision, actor=officer, amount=decision.fine_amount)
    services.close_case(case, actor=head)


def _summary(team: Team, company: Enterprise) -> Case:
    """当场处罚: a fine within the summary limit, handed over on the spot (served)."""
    basis, wording = SIGNS
    case = services.open_case(
        actor=team.officer, authority=team.authority, source=Case.Source.INSPECTION,
        title=f"{company.name}{wording}（当场处罚）", officers=team.officers,
        enterprise=company, facts=f"现场检查发现{company.name}{wording}，违法事实确凿。",
        parties=[_unit(company)])
    party: CaseParty = case.parties.get()
    services.summary_procedure_decision(case, actor=team.officer, party=party,
                                        kinds=["fine"], fine_amount="2000", basis=basis)
    return case
