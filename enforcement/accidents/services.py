"""Accidents: one service per step. 生产安全事故报告和调查处理条例 (国务院令第493号) [S].

- ``register_accident`` (→ reported): an officer of the receiving authority records the
  unit's report; the grade is computed (第三条); the unit's 1-hour clock (第九条) is
  started at the occurrence and stopped at the unit's report (late → flagged 迟报), the
  authority's 2-hour clock (第十一条) starts at the receipt.
- ``pass_up`` (reported → passed_up): an officer records the report up (第十条), late
  flagged, never refused.
- ``flag_reporting`` (no move): 谎报 or 瞒报 found, with the facts (第四条, 第三十六条).
- ``open_reporting_case``: a late, false or concealed report becomes a case against the
  unit (Case.Source.ACCIDENT, through cases' ``open_case``), once.
- ``start_investigation`` (passed_up → investigating): the head of an authority at the
  level 第十九条 gives the grade (``levels.may_lead``: a district bureau leads 一般 only;
  较大 is the city's; 重大 and 特别重大 are the province's and the State Council's).
- ``conclude_investigation`` (investigating → concluded): the head of the investigating
  authority records the report and its findings; each responsible unit becomes a case
  (its responsible persons parties of that case), linked by ``AccidentFinding``.
- ``close_accident`` (concluded → closed): the head.

``register_accident`` and ``conclude_investigation`` send ``signals.accident_registered``
and ``signals.findings_recorded`` inside their transaction (credit listens: the
blacklist's accident grounds and the rating's immediate downgrade).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from enforcement.cases.models import Case, PartyRole
from enforcement.cases.steps.common import (
    HEAD_ROLES,
    OFFICER_ROLES,
    _money,
    _now,
    _reason,
    _require_jurisdiction,
    _require_role,
    _text,
)
from enforcement.cases.steps.filing import open_case
from enforcement.grounds.models import PartyKind
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Jurisdiction, User
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import meet_deadline, start_clock
from hangzhou_safety.workflow import transition

from . import grading, levels
from .models import ACCIDENT_WORKFLOW, PERSON_ROLES, Accident, AccidentFinding
from .signals import accident_registered, findings_recorded

A = Accident.Status
MAX_FINDINGS = 20
MAX_PERSONS = 20
MAX_COUNT = 100_000


# --- Helpers ---------------------------------------------------------------------------

def _lock(accident: Accident | int) -> Accident:
    return (Accident.objects.select_for_update(of=("self",))
            .select_related("authority__jurisdiction", "enterprise")
            .get(pk=getattr(accident, "pk", accident)))


def _move(locked: Accident, to: str, *, actor: Any, guard: Any,
          changes: Mapping[str, Any] | None = None, reason: str = "") -> Accident:
    moved: Accident = transition(ACCIDENT_WORKFLOW, locked, to, actor=actor, guard=guard,
                                 changes=changes, reason=reason, locked=locked)
    return moved


def _aware(moment: Any, field: str) -> datetime.datetime:
    if not isinstance(moment, datetime.datetime) or timezone.is_naive(moment):
        raise InvalidInput("时间须带时区。", f"{field} must be a timezone-aware time.",
                           fields={field: ["时间须带时区。"]})
    if moment > _now() + datetime.timedelta(minutes=1):
        raise InvalidInput("时间不能晚于现在。", f"{field} cannot lie in the future.",
                           fields={field: ["时间不能晚于现在。"]})
    return moment


def _count(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise InvalidInput("人数须为非负整数。", f"{field} must be a non-negative integer.",
                           fields={field: ["人数须为非负整数。"]})
    return value


def _require_staff(actor: Any, accident: Accident) -> None:
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理事故。",
                  "Your role may not handle accidents.")
    _require_jurisdiction(actor, accident.authority)


def _require_head(actor: Any, authority: Authority, what: str) -> None:
    _require_role(actor, HEAD_ROLES, f"只有负责人可以{what}。",
                  "Only the head of the authority may take this step.")
    _require_jurisdiction(actor, authority)


def authority_level(authority: Authority | None) -> str | None:
    """The level of government an authority stands at (Hangzhou: city or county)."""
    if authority is None:
        return None
    kind = authority.jurisdiction.kind
    if kind == Jurisdiction.Kind.CITY:
        return levels.CITY
    if kind == Jurisdiction.Kind.DISTRICT:
        return levels.COUNTY
    return None


def _clock_late(clock: Deadline, at: datetime.datetime, actor: Any) -> bool:
    if clock.status == Deadline.Status.RUNNING:
        meet_deadline(clock, actor=actor, at=at)
    return at > clock.due_at


# --- Steps -----------------------------------------------------------------------------

@transaction.atomic
def register_accident(*, actor: Any, enterprise: Enterprise, occurred_at: datetime.datetime,
                      place: str, deaths: int, serious_injuries: int,
                      direct_loss: Decimal | int | str,
                      reported_by_unit_at: datetime.datetime,
                      received_at: datetime.datetime | None = None,
                      summary: str = "") -> Accident:
    """The report of an accident as the authority received it (第九条, 第十二条)."""
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理事故。",
                  "Your role may not handle accidents.")
    authority = actor.authority
    if authority is None:
        raise Forbidden("您不属于任何执法主体。", "You belong to no authority.")
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise InvalidInput("事故发生单位不存在或不在您的管辖范围内。",
                           "Unknown or out-of-jurisdiction enterprise.",
                           fields={"enterprise": ["事故发生单位不在您的管辖范围内。"]})
    place = _text(place, "place", "请填写事故发生地点。", "The place is required.")[:200]
    deaths = _count(deaths, "deaths")
    serious_injuries = _count(serious_injuries, "serious_injuries")
    loss = _money(direct_loss, "direct_loss")
    occurred_at = _aware(occurred_at, "occurred_at")
    reported_by_unit_at = _aware(reported_by_unit_at, "reported_by_unit_at")
    received_at = _aware(received_at or _now(), "received_at")
    if not occurred_at <= reported_by_unit_at <= received_at:
        raise InvalidInput("时间须依次为：事故发生、单位报告、接报。",
                           "occurred_at ≤ reported_by_unit_at ≤ received_at is required.",
                           fields={"reported_by_unit_at": ["时间顺序不正确。"]})
    grade = grading.grade(deaths, serious_injuries, loss)
    accident = Accident.objects.create(
        authority=authority, enterprise=enterprise, occurred_at=occurred_at, place=place,
        summary=summary.strip(), deaths=deaths, serious_injuries=serious_injuries,
        direct_loss=loss, grade=grade, reported_by_unit_at=reported_by_unit_at,
        received_at=received_at, created_by=actor)
    accident.authority = authority
    unit_clock = start_clock("accident_unit_report", subject=accident, started_at=occurred_at,
                             actor=actor)
    late = _clock_late(unit_clock, reported_by_unit_at, actor)
    accident.unit_report_clock = unit_clock
    accident.late_report = late
    accident.pass_up_clock = start_clock("accident_pass_up", subject=accident,
                                         started_at=received_at, actor=actor)
    accident.save(update_fields=["unit_report_clock", "late_report", "pass_up_clock"])
    record_event("accident.reported", actor=actor, obj=accident,
                 new={"status": A.REPORTED, "accident": accident.pk, "grade": grade,
                      "deaths": deaths, "serious_injuries": serious_injuries,
                      "direct_loss": str(loss), "late_report": late})
    accident_registered.send(sender=Accident, accident=accident, actor=actor)
    return accident


@transaction.atomic
def pass_up(accident: Accident, *, actor: Any, to: str = "",
            passed_up_at: datetime.datetime | None = None) -> Accident:
    """The authority reports the accident up (第十条) within 2 hours (第十一条); a late
    report up is saved and flagged."""
    locked = _lock(accident)
    target = (to or "").strip()[:200] or levels.REPORT_UP_TO[locked.grade]
    at = _aware(passed_up_at or _now(), "passed_up_at")
    if at < locked.received_at:
        raise InvalidInput("上报时间不能早于接报时间。", "passed_up_at precedes received_at.",
                           fields={"passed_up_at": ["上报时间不能早于接报时间。"]})
    clock = Deadline.objects.get(pk=locked.pass_up_clock_id) if locked.pass_up_clock_id \
        else None
    late = clock is not None and at > clock.due_at
    _move(locked, A.PASSED_UP, actor=actor, guard=lambda row: _require_staff(actor, row),
          changes={"passed_up_at": at, "passed_up_to": target, "pass_up_late": late},
          reason=f"上报{target}")
    if clock is not None:
        _clock_late(clock, at, actor)
    return locked


@transaction.atomic
def flag_reporting(accident: Accident, *, actor: Any, kind: str, reason: str) -> Accident:
    """谎报 (``false``) or 瞒报 (``concealed``) found, with the facts."""
    locked = _lock(accident)
    _require_staff(actor, locked)
    reason = _reason(reason)
    if kind not in ("false", "concealed"):
        raise InvalidInput("请选择谎报或瞒报。", "kind must be 'false' or 'concealed'.",
                           fields={"kind": ["无效"]})
    if locked.status == A.CLOSED:
        raise ACCIDENT_WORKFLOW.illegal(locked.status, locked.status,
                                        ("事故已结案，不能再标记", "The accident is closed"))
    field = "false_report" if kind == "false" else "concealed"
    old = {"false_report": locked.false_report, "concealed": locked.concealed}
    setattr(locked, field, True)
    locked.flag_reason = "\n".join(r for r in (locked.flag_reason, reason) if r)
    locked.save(update_fields=[field, "flag_reason", "updated_at"])
    record_event("accident.reporting_flagged", actor=actor, obj=locked, old=old,
                 new={"accident": locked.pk, field: True}, reason=reason)
    return locked


def _reporting_facts(row: Accident) -> tuple[str, str]:
    kinds = "、".join(row.reporting_flags) or "迟报"
    local = timezone.localtime
    facts = (f"{local(row.occurred_at):%Y-%m-%d %H:%M}，{row.enterprise.name}在{row.place}"
             f"发生{row.get_grade_display()}（死亡{row.deaths}人，重伤{row.serious_injuries}人，"
             f"直接经济损失{row.direct_loss}元）。"
             f"单位于{local(row.reported_by_unit_at):%Y-%m-%d %H:%M}报告。"
             f"存在{kinds}情形。{row.flag_reason}").strip()
    return kinds, facts


@transaction.atomic
def open_reporting_case(accident: Accident, *, actor: Any, officers: Iterable[User]) -> Case:
    """A case against the unit for late, false or concealed reporting (第三十五条 迟报,
    第三十六条 谎报、瞒报), once per accident."""
    locked = _lock(accident)
    _require_staff(actor, locked)
    if not (locked.late_report or locked.false_report or locked.concealed):
        raise DomainError("该事故未发现迟报、谎报或瞒报。",
                          "The accident was reported on time and truthfully.",
                          code="nothing_flagged")
    if locked.reporting_case_id is not None:
        raise DomainError("已就该事故的报告问题立案。", "A reporting case exists already.",
                          code="case_exists")
    kinds, facts = _reporting_facts(locked)
    case = open_case(
        actor=actor, authority=locked.authority, source=Case.Source.ACCIDENT,
        title=f"{locked.enterprise.name}{kinds}生产安全事故", officers=officers,
        enterprise=locked.enterprise, facts=facts, source_ref=f"事故{locked.pk}",
        parties=[{"kind": PartyKind.ORGANISATION, "role": PartyRole.UNIT,
                  "name": locked.enterprise.name, "identifier": locked.enterprise.uscc}])
    locked.reporting_case = case
    locked.save(update_fields=["reporting_case", "updated_at"])
    record_event("accident.case_opened", actor=actor, obj=locked,
                 new={"accident": locked.pk, "case": case.pk, "reason": kinds})
    return case


@transaction.atomic
def start_investigation(accident: Accident, *, actor: Any) -> Accident:
    """The head of an authority at the level 第十九条 gives the grade starts the
    investigation (a superior may take a lower level's, 第二十条)."""
    locked = _lock(accident)

    def guard(row: Accident) -> None:
        _require_head(actor, row.authority, "组织事故调查")
        level = authority_level(actor.authority)
        if actor.is_superuser and level is None:
            level = levels.CITY
        if not levels.may_lead(level, row.grade):
            required = levels.LEVEL_LABELS[levels.INVESTIGATION_LEVEL[row.grade]]
            raise Forbidden(
                f"{row.get_grade_display()}由{required}负责调查（{levels.SOURCE_19}），"
                "本部门不能组织调查。",
                f"A {row.grade} accident is investigated at the "
                f"{levels.INVESTIGATION_LEVEL[row.grade]} level (Art. 19); your authority "
                "may not lead it.")

    _move(locked, A.INVESTIGATING, actor=actor, guard=guard,
          changes={"investigating_authority": actor.authority or locked.authority,
                   "investigation_started_at": _now()},
          reason=levels.SOURCE_19)
    return locked


def _findings_input(rows: Iterable[Mapping[str, Any]], actor: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for row in rows:
        name = str(row.get("unit_name", "")).strip()[:200]
        responsibility = str(row.get("responsibility", "")).strip()
        if not name or not responsibility:
            raise InvalidInput("每个责任单位须填写名称和责任认定。",
                               "Each finding needs a unit and its responsibility.",
                               fields={"findings": ["责任单位信息不完整。"]})
        enterprise = None
        if row.get("enterprise") is not None:
            enterprise = Enterprise.objects.visible_to(actor).filter(
                pk=row.get("enterprise")).first()
            if enterprise is None:
                raise InvalidInput("责任单位不存在或不在您的管辖范围内。",
                                   "Unknown or out-of-jurisdiction enterprise.",
                                   fields={"findings": ["责任单位不在您的管辖范围内。"]})
        persons = []
        for person in row.get("persons", ()) or ():
            pname = str(person.get("name", "")).strip()[:200]
            role = str(person.get("role", ""))
            if not pname or role not in PERSON_ROLES:
                raise InvalidInput("责任人员须填写姓名和身份。",
                                   "Each responsible person needs a name and a role.",
                                   fields={"findings": ["责任人员信息不完整。"]})
            persons.append({"name": pname, "role": role,
                            "identifier": str(person.get("identifier", "")).strip()[:32],
                            "responsibility": str(person.get("responsibility", "")).strip()})
        if len(persons) > MAX_PERSONS:
            raise InvalidInput("责任人员过多。", "Too many persons.", fields={"findings": ["过多"]})
        out.append({"unit_name": name, "responsibility": responsibility,
                    "identifier": str(row.get("identifier", "")).strip()[:32]
                    or (enterprise.uscc if enterprise else ""),
                    "enterprise": enterprise, "persons": persons})
    if not out:
        raise InvalidInput("请填写事故责任认定（责任单位及责任人员）。",
                           "The report must name at least one responsible unit.",
                           fields={"findings": ["请填写责任单位。"]})
    if len(out) > MAX_FINDINGS:
        raise InvalidInput("责任单位过多。", "Too many findings.", fields={"findings": ["过多"]})
    return out


@transaction.atomic
def conclude_investigation(accident: Accident, *, actor: Any, report: str,
                           findings: Iterable[Mapping[str, Any]],
                           officers: Iterable[User]) -> Accident:
    """The investigation report (第三十条) with its findings; a case per responsible
    unit, its responsible persons as parties (处罚到人), handled by ``officers``."""
    locked = _lock(accident)
    report = _text(report, "report", "请填写事故调查报告。",
                   "The investigation report is required.")
    rows = _findings_input(findings, actor)
    team = list(officers)

    def guard(row: Accident) -> None:
        investigator = row.investigating_authority or row.authority
        _require_head(actor, investigator, "提交事故调查报告")

    _move(locked, A.CONCLUDED, actor=actor, guard=guard,
          changes={"investigation_report": report, "concluded_at": _now()},
          reason=report[:200])
    authority = locked.investigating_authority or locked.authority
    recorded: list[AccidentFinding] = []
    for row in rows:
        parties = [{"kind": PartyKind.ORGANISATION, "role": PartyRole.UNIT,
                    "name": row["unit_name"], "identifier": row["identifier"]}]
        parties += [{"kind": PartyKind.PERSON, "role": p["role"], "name": p["name"],
                     "identifier": p["identifier"]} for p in row["persons"]]
        facts = (f"事故调查报告认定：{row['unit_name']}{row['responsibility']}"
                 + "".join(f"\n{p['name']}（{PartyRole(p['role']).label}）：{p['responsibility']}"
                           for p in row["persons"]))
        case = open_case(
            actor=actor, authority=authority, source=Case.Source.ACCIDENT,
            title=f"{row['unit_name']}对生产安全事故负有责任", officers=team,
            enterprise=row["enterprise"], facts=facts, source_ref=f"事故{locked.pk}",
            parties=parties)
        recorded.append(AccidentFinding.objects.create(
            accident=locked, unit_name=row["unit_name"], identifier=row["identifier"],
            enterprise=row["enterprise"], responsibility=row["responsibility"],
            persons=row["persons"], case=case))
        record_event("accident.case_opened", actor=actor, obj=locked,
                     new={"accident": locked.pk, "case": case.pk, "reason": "findings"})
    findings_recorded.send(sender=Accident, accident=locked, findings=recorded, actor=actor)
    return locked


@transaction.atomic
def close_accident(accident: Accident, *, actor: Any, note: str = "") -> Accident:
    locked = _lock(accident)

    def guard(row: Accident) -> None:
        _require_head(actor, row.investigating_authority or row.authority, "事故结案")

    _move(locked, A.CLOSED, actor=actor, guard=guard, changes={"closed_at": _now()},
          reason=note.strip() or "事故处理完毕")
    return locked
