"""Inspection schemes (检查方案): every write goes through here.

Workflow (SCHEME_TRANSITIONS beside the model, registered as SCHEME_WORKFLOW):
draft → submitted → approved, or submitted → draft when a section chief returns it
with a reason. Every status change goes through hangzhou_safety.workflow.transition
on the row locked here first (the checks read related rows and the audit trail), and
keeps the audit action names inspection_scheme.submitted / .approved / .returned.

Who may edit, submit or delete a draft: its author (created_by) or a section chief of
the scheme's own authority; the chief's change is recorded in the audit trail like
the author's. A colleague of the same rank may not change someone else's draft.

Who may approve: a section chief of the scheme's authority or of an authority whose
jurisdiction contains it (a district bureau approves its streets' schemes), never
one of the scheme's authors (four-eyes principle). The authors are everyone who
wrote or changed it: created_by plus the actors of its created / updated /
submitted audit events. An author trying to approve gets 403, not 409: the scheme's
state allows approval, this actor does not (another chief's identical request
succeeds), so it is a permission failure, not a state conflict. Returning is open to
the same chiefs, authors included (a chief may take back a scheme they submitted).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import transition
from inspections.checklists.models import SCHEME_WORKFLOW, ChecklistTemplate, InspectionScheme
from inspections.plans.models import EnforcementPlan

WRITE_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER,
               Role.MUNICIPAL_ADMIN)
# On-site enforcement needs at least two officers holding a valid certificate
# (行政处罚法 第四十二条: 执法人员不得少于两人).
MIN_CERTIFIED_TEAM = 2
TEXT_FIELDS = ("title", "area", "content", "focus")
FIELD_LABELS = {"title": "方案名称", "area": "检查区域", "content": "检查内容",
                "focus": "检查重点"}
#: Audit actions whose actor wrote or changed the scheme (separation of duties).
AUTHORING_ACTIONS = ("inspection_scheme.created", "inspection_scheme.updated",
                     "inspection_scheme.submitted")


def _check_scope(scheme: InspectionScheme, actor: Any) -> None:
    # Out-of-jurisdiction objects do not exist for the actor: 404, as in the views.
    path = user_scope_path(actor)
    if path is None or not scheme.authority.jurisdiction.path.startswith(path):
        raise Http404


def _require_writer(actor: Any) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False)
            and actor.has_role(*WRITE_ROLES)):
        raise Forbidden("您的角色无权编制检查方案。",
                              "Your role may not draw up inspection schemes.")


def can_review(scheme: InspectionScheme, actor: Any) -> bool:
    """A section chief of the scheme's authority or of one whose jurisdiction contains it."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.has_role(Role.SECTION_CHIEF):
        return False
    if actor.is_superuser:
        return True
    authority = actor.authority
    return bool(authority is not None and authority.enforces_safety
                and authority.jurisdiction.contains(scheme.authority.jurisdiction))


def scheme_authors(scheme: InspectionScheme) -> set[int]:
    """Everyone who wrote or changed the scheme: its creator and the actors of its
    created / updated / submitted audit events (one indexed query)."""
    actors = AuditEvent.objects.filter(
        object_type=InspectionScheme._meta.label_lower, object_id=str(scheme.pk),
        action__in=AUTHORING_ACTIONS, actor_id__isnull=False,
    ).values_list("actor_id", flat=True).distinct()
    return {scheme.created_by_id, *(a for a in actors if a is not None)}


def can_approve(scheme: InspectionScheme, actor: Any) -> bool:
    return can_review(scheme, actor) and actor.pk not in scheme_authors(scheme)


def can_edit(scheme: InspectionScheme, actor: Any) -> bool:
    """The author, or a section chief of the scheme's own authority, may change, submit
    or delete a draft; other writers may not touch a colleague's draft."""
    if not (actor is not None and getattr(actor, "is_authenticated", False)
            and actor.has_role(*WRITE_ROLES)):
        return False
    if scheme.created_by_id == actor.pk:
        return True
    return bool(actor.has_role(Role.SECTION_CHIEF)
                and actor.authority_id == scheme.authority_id)


def _require_editor(scheme: InspectionScheme, actor: Any) -> None:
    if not can_edit(scheme, actor):
        raise Forbidden("只有检查方案的编制人或本执法主体的科室负责人可以修改、提交或删除该方案。",
                        "Only the author of an inspection scheme or a section chief of its "
                        "authority may change, submit or delete it.",
                        code="not_scheme_author")


def _ids(values: Iterable[Any]) -> list[int]:
    return sorted({int(v.pk if hasattr(v, "pk") else v) for v in values})


def _invalid(field: str, message: str, message_en: str) -> InvalidInput:
    return InvalidInput(message, message_en, fields={field: [message]})


def _clean(data: dict[str, Any], *, actor: Any, authority: Authority) -> dict[str, Any]:
    """Validate a complete set of scheme fields; raises InvalidInput (400) in Chinese."""
    cleaned: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        value = str(data.get(field) or "").strip()
        if not value:
            raise _invalid(field, f"请填写{FIELD_LABELS[field]}。", f"{field} is required.")
        if field == "title" and len(value) > 200:
            raise _invalid(field, "方案名称不能超过200个字。", "title is too long.")
        cleaned[field] = value

    start, end = data.get("start_date"), data.get("end_date")
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise _invalid("start_date", "请填写开始日期和结束日期。",
                       "start_date and end_date are required.")
    if end < start:
        raise _invalid("end_date", "结束日期不能早于开始日期。",
                       "end_date must not be before start_date.")
    cleaned["start_date"], cleaned["end_date"] = start, end

    template_ids = _ids(data.get("templates") or [])
    templates = list(ChecklistTemplate.objects.filter(pk__in=template_ids, active=True))
    if not template_ids:
        raise _invalid("templates", "请至少选择一张检查表。",
                       "Choose at least one checklist template.")
    if len(templates) != len(template_ids):
        raise _invalid("templates", "所选检查表不存在或已停用。",
                       "A chosen checklist template does not exist or is inactive.")
    cleaned["templates"] = templates

    team_ids = _ids(data.get("team") or [])
    # Team members come from the actor's own jurisdiction: an id outside it is unknown.
    team = list(User.objects.visible_to(actor).filter(pk__in=team_ids, is_active=True)
                .select_related("authority"))
    if len(team) != len(team_ids):
        raise _invalid("team", "检查组成员不存在或不在您的辖区内。",
                       "A team member does not exist or is outside your jurisdiction.")
    certified = [u for u in team if u.certificate_valid_on(end)]
    if len(certified) < MIN_CERTIFIED_TEAM:
        raise _invalid("team",
                       f"检查组至少需要{MIN_CERTIFIED_TEAM}名在检查期间持有有效行政执法证的"
                       f"执法人员（当前{len(certified)}名）。",
                       f"The team needs at least {MIN_CERTIFIED_TEAM} members with an "
                       f"enforcement certificate valid for the whole period "
                       f"(now {len(certified)}).")
    cleaned["team"] = team

    plan = data.get("plan")
    if plan is not None:
        plan_id = plan.pk if hasattr(plan, "pk") else int(plan)
        plan = EnforcementPlan.objects.filter(pk=plan_id, authority=authority).first()
        if plan is None:
            raise _invalid("plan", "所选年度计划不存在或不属于本执法主体。",
                           "The plan does not exist or belongs to another authority.")
    cleaned["plan"] = plan
    return cleaned


def _resolve_authority(data: dict[str, Any], actor: Any) -> Authority:
    authority = data.get("authority") or getattr(actor, "authority", None)
    if authority is None:
        raise _invalid("authority", "请指定执法主体。", "An authority is required.")
    if not isinstance(authority, Authority):
        authority = Authority.objects.filter(pk=authority).first()
    visible = authority is not None and Authority.objects.visible_to(actor).filter(
        pk=authority.pk, enforces_safety=True).exists()
    if not visible or authority is None:
        raise _invalid("authority", "执法主体不存在、不在您的辖区内或不是安全生产执法主体。",
                       "Unknown authority, outside your jurisdiction, or not a "
                       "safety-enforcement authority.")
    return authority


def _snapshot(scheme: InspectionScheme) -> dict[str, Any]:
    return {
        "title": scheme.title, "area": scheme.area, "content": scheme.content,
        "focus": scheme.focus, "start_date": scheme.start_date, "end_date": scheme.end_date,
        "plan": scheme.plan_id, "status": scheme.status,
        "templates": sorted(t.code for t in scheme.templates.all()),
        "team": sorted(scheme.team.values_list("pk", flat=True)),
    }


@transaction.atomic
def create_scheme(data: dict[str, Any], *, actor: Any) -> InspectionScheme:
    """A new scheme in draft. Bad input raises InvalidInput and writes nothing."""
    _require_writer(actor)
    authority = _resolve_authority(data, actor)
    cleaned = _clean(data, actor=actor, authority=authority)
    scheme = InspectionScheme.objects.create(
        authority=authority, plan=cleaned["plan"], title=cleaned["title"],
        area=cleaned["area"], content=cleaned["content"], focus=cleaned["focus"],
        start_date=cleaned["start_date"], end_date=cleaned["end_date"], created_by=actor)
    scheme.templates.set(cleaned["templates"])
    scheme.team.set(cleaned["team"])
    record_event("inspection_scheme.created", actor=actor, obj=scheme, new=_snapshot(scheme))
    return scheme


def _lock(scheme: InspectionScheme | int) -> InspectionScheme:
    pk = scheme.pk if isinstance(scheme, InspectionScheme) else scheme
    return (InspectionScheme.objects.select_for_update(of=("self",))
            .select_related("authority__jurisdiction").get(pk=pk))


@transaction.atomic
def update_scheme(scheme: InspectionScheme, data: dict[str, Any], *,
                  actor: Any) -> InspectionScheme:
    """Change a draft (a partial update: missing keys keep their value)."""
    _require_writer(actor)
    scheme = _lock(scheme)
    _check_scope(scheme, actor)
    _require_editor(scheme, actor)
    if scheme.status != InspectionScheme.Status.DRAFT:
        raise DomainError("只有草稿状态的检查方案可以修改，已提交或已批准的方案请先退回。",
                          "Only a draft inspection scheme can be changed.",
                          code="not_editable")
    old = _snapshot(scheme)
    merged: dict[str, Any] = {
        "title": scheme.title, "area": scheme.area, "content": scheme.content,
        "focus": scheme.focus, "start_date": scheme.start_date,
        "end_date": scheme.end_date, "plan": scheme.plan,
        "templates": list(scheme.templates.all()), "team": list(scheme.team.all()),
    }
    merged.update({k: v for k, v in data.items() if k in merged})
    cleaned = _clean(merged, actor=actor, authority=scheme.authority)
    for field in (*TEXT_FIELDS, "start_date", "end_date", "plan"):
        setattr(scheme, field, cleaned[field])
    scheme.save(update_fields=[*TEXT_FIELDS, "start_date", "end_date", "plan"])
    scheme.templates.set(cleaned["templates"])
    scheme.team.set(cleaned["team"])
    new = _snapshot(scheme)
    record_event("inspection_scheme.updated", actor=actor, obj=scheme,
                 old={k: v for k, v in old.items() if new[k] != v},
                 new={k: v for k, v in new.items() if old[k] != v})
    return scheme


@transaction.atomic
def delete_scheme(scheme: InspectionScheme, *, actor: Any) -> None:
    """Drop a draft that was never submitted (a submitted one is returned instead)."""
    _require_writer(actor)
    scheme = _lock(scheme)
    _check_scope(scheme, actor)
    _require_editor(scheme, actor)
    if scheme.status != InspectionScheme.Status.DRAFT:
        raise DomainError("只有草稿状态的检查方案可以删除。",
                          "Only a draft inspection scheme can be deleted.",
                          code="not_deletable")
    if scheme.draws.exists():
        raise DomainError("该检查方案已用于双随机抽取，不能删除。",
                          "The scheme is referenced by a random draw.", code="in_use")
    record_event("inspection_scheme.deleted", actor=actor, obj=scheme, old=_snapshot(scheme))
    scheme.delete()


@transaction.atomic
def submit_scheme(scheme: InspectionScheme, *, actor: Any) -> InspectionScheme:
    """Hand a draft to the section chief for approval (its author or their chief)."""
    _require_writer(actor)
    locked = _lock(scheme)
    _check_scope(locked, actor)
    _require_editor(locked, actor)
    return transition(SCHEME_WORKFLOW, locked, InspectionScheme.Status.SUBMITTED,
                      actor=actor, locked=locked, event="inspection_scheme.submitted")


def _not_an_author(actor: Any) -> Any:
    def guard(scheme: InspectionScheme) -> None:
        if actor.pk in scheme_authors(scheme):
            raise Forbidden("检查方案的编制人（包括修改、提交过该方案的人员）不能审批该方案。",
                            "Whoever wrote, changed or submitted an inspection scheme may "
                            "not approve it.", code="author_cannot_approve")
    return guard


@transaction.atomic
def approve_scheme(scheme: InspectionScheme, *, actor: Any,
                   comment: str = "") -> InspectionScheme:
    locked = _lock(scheme)
    _check_scope(locked, actor)
    if not can_review(locked, actor):
        raise Forbidden("只有本执法主体或上级执法主体的科室负责人可以审批检查方案。",
                        "Only a section chief of this or a containing authority "
                        "may approve an inspection scheme.")
    return transition(SCHEME_WORKFLOW, locked, InspectionScheme.Status.APPROVED,
                      actor=actor, locked=locked, guard=_not_an_author(actor),
                      changes=lambda _row: {"approved_by": actor,
                                            "approved_at": timezone.now()},
                      reason=comment, event="inspection_scheme.approved")


@transaction.atomic
def return_scheme(scheme: InspectionScheme, *, actor: Any, reason: str) -> InspectionScheme:
    """Send a submitted scheme back to draft with the reason the author must address."""
    reason = (reason or "").strip()
    locked = _lock(scheme)
    _check_scope(locked, actor)
    if not can_review(locked, actor):
        raise Forbidden("只有本执法主体或上级执法主体的科室负责人可以退回检查方案。",
                        "Only a section chief of this or a containing authority "
                        "may return an inspection scheme.")
    if not reason:
        raise _invalid("reason", "退回检查方案须说明理由。", "A reason is required.")
    if len(reason) > 2000:
        raise _invalid("reason", "退回理由不能超过2000个字。", "The reason is too long.")
    return transition(SCHEME_WORKFLOW, locked, InspectionScheme.Status.DRAFT, actor=actor,
                      locked=locked, reason=reason, event="inspection_scheme.returned")
