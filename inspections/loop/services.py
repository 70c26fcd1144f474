"""The four-checklist loop: 检查任务 → 隐患问题 → 整改工作 → 复查验收.

One service per step (DESIGN.md): each runs in a transaction on a locked row,
checks the move against INSPECTION_TRANSITIONS / HAZARD_TRANSITIONS, the actor's
role and jurisdiction, and appends an audit event. Every deadline comes from the
calendar service: rectification periods in calendar days (a period ending on a
holiday moves to the next working day), re-checks within 10 working days of the
deadline or of the enterprise's report (DOMAIN.md B3, B5).
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.services import add_calendar_days, add_working_days
from inspections.checklists.models import ChecklistItem, InspectionScheme
from inspections.checklists.templates import templates_for
from inspections.loop.models import (
    HAZARD_SETTLED,
    HAZARD_TRANSITIONS,
    INSPECTION_TRANSITIONS,
    Hazard,
    Inspection,
    InspectionItem,
    OnSiteMeasure,
    ReCheck,
    RectificationOrder,
)
from inspections.plans.models import PlannedInspection

MIN_INSPECTORS = 2
RECHECK_WORKING_DAYS = 10
MAX_RECTIFICATION_DAYS = 180
FIELD_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER,
               Role.MUNICIPAL_ADMIN)
# No 0/O, 1/I/L: the code is read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _illegal(what: str, status_label: str) -> DomainError:
    return DomainError(f"{what}当前状态为“{status_label}”，不能执行此操作。",
                       f"Illegal step for a {what} in its current status.")


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _require_field_role(actor: Any) -> None:
    if not actor.has_role(*FIELD_ROLES):
        raise Forbidden("您的角色无权开展现场检查。",
                            "Your role may not carry out inspections.")


def _require_team_member(inspection: Inspection, actor: Any) -> None:
    """Findings and orders are signed by the inspectors on site (or their chief)."""
    if actor.has_role(Role.SECTION_CHIEF, Role.MUNICIPAL_ADMIN):
        return
    if not inspection.inspectors.filter(pk=actor.pk).exists():
        raise Forbidden("只有本次检查的执法人员可以记录检查结果。",
                            "Only the inspectors of this inspection may record it.")


def _today() -> datetime.date:
    return timezone.localdate()


# --- List 1: the task ---

def create_inspection(*, actor: Any, enterprise: Enterprise, inspectors: Iterable[User],
                      source: str, planned: PlannedInspection | None = None,
                      scheme: InspectionScheme | None = None,
                      planned_date: datetime.date | None = None,
                      partner_officers: list[dict[str, str]] | None = None,
                      client_id: uuid.UUID | None = None) -> Inspection:
    """Create the task with its checklist items. Idempotent by `client_id`."""
    _require_field_role(actor)
    if client_id is not None:
        existing = Inspection.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.created_by_id != actor.pk:
                raise DomainError("该提交编号已被使用。", "This client id is already used.",
                                  code="duplicate_client_id")
            return existing
    if source not in Inspection.Source.values:
        raise InvalidInput("检查来源无效。", "Unknown inspection source.",
                           fields={"source": ["检查来源无效。"]})
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise InvalidInput("被检查单位不存在或不在您的管辖范围内。",
                           "The enterprise is not within your jurisdiction.",
                           fields={"enterprise": ["被检查单位不在您的管辖范围内。"]})
    day = planned_date or _today()
    team = list({u.pk: u for u in inspectors}.values())
    visible_staff = set(User.objects.visible_to(actor).filter(
        pk__in=[u.pk for u in team], is_active=True).values_list("pk", flat=True))
    certified = [u for u in team if u.pk in visible_staff and u.certificate_valid_on(day)]
    if len(certified) < MIN_INSPECTORS or len(certified) != len(team):
        raise InvalidInput(
            "现场检查须由两名以上持有效行政执法证的本辖区执法人员进行（行政处罚法第四十二条）。",
            "An inspection needs at least two certified inspectors of your jurisdiction.",
            fields={"inspectors": ["至少两名持有效执法证的执法人员。"]})
    templates = list(scheme.templates.filter(active=True)) if scheme else list(
        templates_for(enterprise))
    items = list(ChecklistItem.objects.filter(template__in=templates)
                 .order_by("template__code", "order"))
    if not items:
        raise InvalidInput("没有适用于该单位的检查表，请先维护检查表。",
                           "No checklist template applies to this enterprise.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                inspection = Inspection.objects.create(
                    authority=actor.authority, enterprise=enterprise, planned=planned,
                    scheme=scheme, source=source, planned_date=day,
                    partner_officers=partner_officers or [],
                    verification_code=new_verification_code(), client_id=client_id,
                    created_by=actor)
        except IntegrityError:
            # The same client id raced in from a resend: return the first one.
            if client_id is not None:
                return Inspection.objects.get(client_id=client_id)
            raise
        inspection.inspectors.set(certified)
        InspectionItem.objects.bulk_create(
            InspectionItem(inspection=inspection, checklist_item=item, order=n)
            for n, item in enumerate(items, start=1))
        record_event("inspection.created", actor=actor, obj=enterprise,
                     new={"inspection": inspection.pk, "source": source,
                          "inspectors": [u.pk for u in certified], "items": len(items)})
    return inspection


def _move_inspection(inspection: Inspection, to: str, *, actor: Any,
                     **fields: Any) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if to not in INSPECTION_TRANSITIONS[locked.status]:
        raise _illegal("检查", locked.get_status_display())
    old = locked.status
    locked.status = to
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save(update_fields=["status", *fields])
    record_event(f"inspection.{to}", actor=actor, obj=locked.enterprise,
                 old={"status": old}, new={"status": to, "inspection": locked.pk})
    return locked


@transaction.atomic
def start_inspection(inspection: Inspection, *, actor: Any) -> Inspection:
    _require_team_member(inspection, actor)
    return _move_inspection(inspection, Inspection.Status.IN_PROGRESS, actor=actor,
                            started_at=timezone.now())


# --- List 2: findings ---

@transaction.atomic
def record_answer(inspection: Inspection, item_id: int, *, actor: Any, result: str,
                  note: str = "", hazard: dict[str, Any] | None = None) -> InspectionItem:
    """Save one answer as it is given (a resend of the same answer changes nothing).

    A non-compliance becomes a hidden danger; changing the answer back removes the
    hidden danger while no order has been issued for it.
    """
    _require_team_member(inspection, actor)
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != Inspection.Status.IN_PROGRESS:
        raise _illegal("检查", locked.get_status_display())
    if result not in InspectionItem.Result.values or result == InspectionItem.Result.PENDING:
        raise InvalidInput("检查结果无效。", "Invalid result.",
                           fields={"result": ["请选择符合、不符合或不适用。"]})
    item = (InspectionItem.objects.select_for_update().select_related("checklist_item")
            .filter(inspection=locked, pk=item_id).first())
    if item is None:
        raise InvalidInput("检查项不属于本次检查。", "The item is not part of this inspection.")
    if item.result == result and item.note == note and not hazard:
        return item
    old = item.result
    item.result, item.note = result, note
    item.answered_by, item.answered_at = actor, timezone.now()
    item.save(update_fields=["result", "note", "answered_by", "answered_at"])
    existing = Hazard.objects.filter(item=item).first()
    if result == InspectionItem.Result.NON_COMPLIANT:
        details = hazard or {}
        criterion = item.checklist_item.major_hazard_criterion
        values = {
            "description": (details.get("description") or note
                            or item.checklist_item.text).strip(),
            "legal_basis": item.checklist_item.legal_basis[:200],
            "is_major": bool(details.get("is_major", bool(criterion))),
            "major_criterion": criterion[:200],
            "plant_location": str(details.get("plant_location", ""))[:200],
        }
        if existing is None:
            Hazard.objects.create(inspection=locked, item=item, **values)
        elif existing.status == Hazard.Status.OPEN:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save(update_fields=list(values))
    elif existing is not None:
        if existing.status != Hazard.Status.OPEN:
            raise DomainError("该隐患已下达整改指令，不能改为符合。",
                              "An order was issued for this hidden danger already.")
        existing.delete()
    record_event("inspection.answer", actor=actor, obj=locked.enterprise,
                 old={"result": old}, new={"result": result, "item": item.pk,
                                           "inspection": locked.pk})
    return item


@transaction.atomic
def add_hazard(inspection: Inspection, *, actor: Any, description: str,
               legal_basis: str = "", is_major: bool = False, plant_location: str = "",
               client_id: uuid.UUID | None = None) -> Hazard:
    """A hidden danger found outside the checklist. Idempotent by `client_id`."""
    _require_team_member(inspection, actor)
    if client_id is not None:
        existing = Hazard.objects.filter(client_id=client_id).first()
        if existing is not None:
            return existing
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != Inspection.Status.IN_PROGRESS:
        raise _illegal("检查", locked.get_status_display())
    if not description.strip():
        raise InvalidInput("请描述隐患。", "A description is required.",
                           fields={"description": ["请描述隐患。"]})
    hazard = Hazard.objects.create(inspection=locked, description=description.strip(),
                                   legal_basis=legal_basis[:200], is_major=is_major,
                                   plant_location=plant_location[:200], client_id=client_id)
    record_event("hazard.recorded", actor=actor, obj=locked.enterprise,
                 new={"hazard": hazard.pk, "major": is_major})
    return hazard


@transaction.atomic
def complete_findings(inspection: Inspection, *, actor: Any) -> Inspection:
    """All items answered: with hidden dangers the loop moves to rectification,
    without any the inspection closes at once."""
    _require_team_member(inspection, actor)
    pending = inspection.items.filter(result=InspectionItem.Result.PENDING).count()
    if pending:
        raise InvalidInput(f"还有 {pending} 项未检查，请逐项记录检查结果。",
                           f"{pending} items have no answer yet.")
    now = timezone.now()
    has_hazards = inspection.hazards.exists()
    to = Inspection.Status.RECTIFYING if has_hazards else Inspection.Status.CLOSED
    fields: dict[str, Any] = {"findings_done_at": now}
    if not has_hazards:
        fields["closed_at"] = now
    moved = _move_inspection(inspection, to, actor=actor, **fields)
    if moved.planned_id:
        # The plan's progress counts this planned inspection as carried out.
        PlannedInspection.objects.filter(pk=moved.planned_id).update(
            status=PlannedInspection.Status.DONE, done_at=now)
    return moved


# --- List 3: rectification orders ---

def _move_hazard(hazard: Hazard, to: str, *, actor: Any, reason: str = "",
                 **fields: Any) -> Hazard:
    locked = Hazard.objects.select_for_update().select_related(
        "inspection__enterprise").get(pk=hazard.pk)
    if to not in HAZARD_TRANSITIONS[locked.status]:
        raise _illegal("隐患", locked.get_status_display())
    old = locked.status
    locked.status = to
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save(update_fields=["status", *fields])
    record_event(f"hazard.{to}", actor=actor, obj=locked.inspection.enterprise,
                 old={"status": old}, new={"status": to, "hazard": locked.pk},
                 reason=reason)
    return locked


@transaction.atomic
def issue_order(hazard: Hazard, *, actor: Any, kind: str, responsible_person: str,
                measures: str, deadline_days: int | None = None,
                funds: Decimal | None = None, emergency_plan: str = "",
                onsite_measure: str = "") -> RectificationOrder:
    inspection = hazard.inspection
    _require_team_member(inspection, actor)
    errors: dict[str, list[str]] = {}
    if kind not in RectificationOrder.Kind.values:
        errors["kind"] = ["请选择现场整改或限期整改。"]
    if not responsible_person.strip():
        errors["responsible_person"] = ["请填写整改责任人。"]
    if not measures.strip():
        errors["measures"] = ["请填写整改措施。"]
    if kind == RectificationOrder.Kind.DEADLINE and not (
            isinstance(deadline_days, int) and 1 <= deadline_days <= MAX_RECTIFICATION_DAYS):
        errors["deadline_days"] = [f"整改期限应为 1–{MAX_RECTIFICATION_DAYS} 日。"]
    if hazard.is_major:
        # 五到位: measures, funds, deadline, responsible person, emergency plan.
        if kind != RectificationOrder.Kind.DEADLINE:
            errors.setdefault("kind", []).append("重大事故隐患须限期整改。")
        if funds is None:
            errors["funds"] = ["重大事故隐患须落实整改资金。"]
        if not emergency_plan.strip():
            errors["emergency_plan"] = ["重大事故隐患须制定应急预案。"]
    if onsite_measure not in OnSiteMeasure.values:
        errors["onsite_measure"] = ["现场处理措施无效。"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, "Invalid rectification order; see the field errors.",
                           fields=errors)
    if RectificationOrder.objects.filter(hazard=hazard).exists():
        raise DomainError("该隐患已下达整改指令。", "An order exists for this hidden danger.")
    today = _today()
    due, provisional = (None, False)
    if kind == RectificationOrder.Kind.DEADLINE:
        assert deadline_days is not None
        result = add_calendar_days(today, deadline_days)
        due, provisional = result.due, result.provisional
    order = RectificationOrder.objects.create(
        hazard=hazard, kind=kind, deadline_days=deadline_days, due_date=due,
        due_provisional=provisional, responsible_person=responsible_person.strip(),
        measures=measures.strip(), funds=funds, emergency_plan=emergency_plan.strip(),
        onsite_measure=onsite_measure, issued_by=actor)
    if kind == RectificationOrder.Kind.ON_SPOT:
        # Fixed while the inspectors watch: they accept it on the spot.
        ReCheck.objects.create(hazard=hazard, due_date=today, result=ReCheck.Result.PASSED,
                               note="现场立即整改完毕", checked_at=timezone.now())
        _move_hazard(hazard, Hazard.Status.ACCEPTED, actor=actor, reason="现场立即整改")
    else:
        _move_hazard(hazard, Hazard.Status.RECTIFYING, actor=actor,
                     reason=f"限期 {deadline_days} 日整改，至 {due}")
    return order


@transaction.atomic
def list_for_supervision(hazard: Hazard, *, actor: Any) -> Hazard:
    """挂牌督办 a major hidden danger; it is de-listed when accepted."""
    if not actor.has_role(Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN):
        raise Forbidden("只有科室负责人或审批负责人可以挂牌督办。",
                            "Only a chief or an approver may list a hidden danger.")
    locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if not locked.is_major or locked.status in HAZARD_SETTLED or locked.listed_at:
        raise DomainError("只有未销号的重大事故隐患可以挂牌督办，且不能重复挂牌。",
                          "Only an open major hidden danger can be listed, once.")
    locked.listed_at = timezone.now()
    locked.save(update_fields=["listed_at"])
    record_event("hazard.listed", actor=actor, obj=locked.inspection.enterprise,
                 new={"hazard": locked.pk})
    return locked


# --- List 4: re-check and acceptance ---

def _open_recheck(hazard: Hazard, due: datetime.date, provisional: bool) -> ReCheck:
    recheck = hazard.rechecks.filter(result="").first()
    if recheck is None:
        recheck = ReCheck.objects.create(hazard=hazard, due_date=due,
                                         due_provisional=provisional)
    return recheck


@transaction.atomic
def report_rectified(hazard: Hazard, *, actor: Any,
                     reported_on: datetime.date | None = None) -> ReCheck:
    """The enterprise reports completion: a re-check is due within 10 working days."""
    _require_team_member(hazard.inspection, actor)
    day = reported_on or _today()
    moved = _move_hazard(hazard, Hazard.Status.REPORTED, actor=actor, reason="单位报告整改完成")
    RectificationOrder.objects.filter(hazard=moved).update(reported_done_at=timezone.now())
    result = add_working_days(day, RECHECK_WORKING_DAYS)
    return _open_recheck(moved, result.due, result.provisional)


@transaction.atomic
def record_recheck(hazard: Hazard, *, actor: Any, passed: bool, note: str = "",
                   inspectors: Iterable[User] = ()) -> Hazard:
    """Passed: accepted (and de-listed). Failed: escalated, suggesting a case, with the
    inspection's evidence carried over (the enforcement issue opens the case)."""
    _require_team_member(hazard.inspection, actor)
    if not passed and not note.strip():
        raise InvalidInput("复查不合格须写明复查意见。", "A failed re-check needs a note.",
                           fields={"note": ["请填写复查意见。"]})
    locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if locked.status not in (Hazard.Status.RECTIFYING, Hazard.Status.REPORTED):
        raise _illegal("隐患", locked.get_status_display())
    recheck = _open_recheck(locked, _today(), False)
    recheck.result = ReCheck.Result.PASSED if passed else ReCheck.Result.FAILED
    recheck.note, recheck.checked_at = note.strip(), timezone.now()
    recheck.save(update_fields=["result", "note", "checked_at"])
    recheck.checked_by.set([actor, *inspectors])
    if passed:
        fields: dict[str, Any] = {}
        if locked.listed_at and not locked.delisted_at:
            fields["delisted_at"] = timezone.now()
        return _move_hazard(locked, Hazard.Status.ACCEPTED, actor=actor, reason=note,
                            **fields)
    return _move_hazard(locked, Hazard.Status.ESCALATED, actor=actor,
                        reason=f"复查不合格，建议立案：{note.strip()}")


@transaction.atomic
def close_inspection(inspection: Inspection, *, actor: Any) -> Inspection:
    """Closes only when every hidden danger is accepted or escalated (clause 十三)."""
    _require_team_member(inspection, actor)
    open_hazards = inspection.hazards.exclude(status__in=HAZARD_SETTLED).count()
    if open_hazards:
        raise DomainError(f"还有 {open_hazards} 项隐患未复查验收或移交立案，检查不能闭环。",
                          f"{open_hazards} hidden dangers are neither accepted nor "
                          "escalated; the inspection cannot close.", code="open_hazards")
    return _move_inspection(inspection, Inspection.Status.CLOSED, actor=actor,
                            closed_at=timezone.now())


# --- The daily sweep ---

def overdue_orders(today: datetime.date) -> QuerySet[RectificationOrder]:
    return RectificationOrder.objects.filter(
        due_date__lt=today, hazard__status=Hazard.Status.RECTIFYING,
        overdue_flagged_at__isnull=True)


def overdue_rechecks(today: datetime.date) -> QuerySet[ReCheck]:
    return ReCheck.objects.filter(due_date__lt=today, result="",
                                  overdue_flagged_at__isnull=True)


def flag_overdue(today: datetime.date | None = None) -> dict[str, int]:
    """Flag rectifications past their deadline (a re-check then falls due within 10
    working days of the deadline) and re-checks past theirs; tell the inspectors and
    their chiefs. Idempotent: a flagged row is not flagged again."""
    day = today or _today()
    now = timezone.now()
    flagged_orders = 0
    for order in overdue_orders(day).select_related("hazard__inspection__enterprise"):
        with transaction.atomic():
            # Conditional update: two workers running the sweep flag a row once.
            if not RectificationOrder.objects.filter(
                    pk=order.pk, overdue_flagged_at__isnull=True).update(
                    overdue_flagged_at=now):
                continue
            assert order.due_date is not None
            result = add_working_days(order.due_date, RECHECK_WORKING_DAYS)
            _open_recheck(order.hazard, result.due, result.provisional)
            record_event("hazard.rectification_overdue", actor=None,
                         obj=order.hazard.inspection.enterprise,
                         new={"hazard": order.hazard_id, "due": order.due_date})
            _notify(order.hazard, f"整改逾期：{order.hazard.description[:40]}"
                                  f"（期限 {order.due_date}），请在 {result.due} 前复查。")
            flagged_orders += 1
    flagged_rechecks = 0
    for recheck in overdue_rechecks(day).select_related("hazard__inspection__enterprise"):
        with transaction.atomic():
            if not ReCheck.objects.filter(pk=recheck.pk,
                                          overdue_flagged_at__isnull=True).update(
                    overdue_flagged_at=now):
                continue
            record_event("hazard.recheck_overdue", actor=None,
                         obj=recheck.hazard.inspection.enterprise,
                         new={"hazard": recheck.hazard_id, "due": recheck.due_date})
            _notify(recheck.hazard, f"复查逾期：{recheck.hazard.description[:40]}"
                                    f"（复查期限 {recheck.due_date}）。")
            flagged_rechecks += 1
    return {"orders": flagged_orders, "rechecks": flagged_rechecks}


def _notify(hazard: Hazard, message: str) -> None:
    """Mail the inspection's inspectors and the section chiefs of its authority."""
    from django.core.mail import send_mail

    inspection = hazard.inspection
    recipients = set(inspection.inspectors.exclude(email="").values_list("email", flat=True))
    recipients |= set(User.objects.filter(authority=inspection.authority,
                                          role=Role.SECTION_CHIEF, is_active=True)
                      .exclude(email="").values_list("email", flat=True))
    if recipients:
        transaction.on_commit(lambda: send_mail(
            f"【隐患整改提醒】{inspection.enterprise.name}", message, None,
            sorted(recipients), fail_silently=True))
