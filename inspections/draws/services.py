"""Random draws (双随机一公开): object directories, item lists, conflicts and the draws.

Two halves:

* The algorithm — pure functions of (seed, snapshot, n). They read nothing from the
  database, so anyone holding a draw's seed, its stored snapshot and its algorithm
  version recomputes the same result. Versions are never edited once released: a
  changed rule is a new entry in ``ALGORITHMS`` and old draws keep verifying with the
  version they name.
* The services — build the snapshot from the registry at draw time, run the
  algorithm, and write the draw (with its report), its planned inspections and the
  audit event in one transaction, set-based: the cost does not grow with the number
  of enterprises drawn. A draw is never updated in place: a redraw is a new row that
  ``replaces`` the old one, with a reason, and cancels the old planned inspections
  through ``cancel_planned_inspections`` (audited). Every service checks the actor's
  role and the draw's authority against the actor's jurisdiction itself (Forbidden,
  403), on the locked row where the row matters.
* Writers of planned inspections of one authority and year (draws, redraws, the
  key-supervision inspections) take turns under ``lock_yearly_cap``, so two of them
  never read the same per-enterprise counts and together exceed the yearly cap.

Algorithm v1 (``draw_v1``):

1. ``rng = random.Random(int(sha256(seed)))`` — a string seed hashed with SHA-256, not
   Python's ``hash()`` (salted per process), so the stream is the same everywhere.
2. Eligible enterprises: the snapshot's enterprise ids (sorted) whose inspection count
   for the year is below the per-enterprise cap (one more would exceed it otherwise).
3. ``rng.sample(eligible, min(n, len(eligible)))`` — the sampled order is the order of
   assignment; drawing fewer than ``n`` because too few are eligible is reported.
4. For each sampled enterprise, the candidates are the snapshot's inspectors (sorted)
   minus those recused for it (a declared conflict, or an inspector of its latest
   completed inspection). Two distinct inspectors are chosen one after the other,
   each uniformly (``rng.choice``) among the candidates with the fewest assignments
   so far in this draw — load balancing, ties broken by the rng. An enterprise with
   fewer than two candidates is skipped and reported.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from inspections.checklists.models import ChecklistTemplate, InspectionScheme
from inspections.draws.algorithm import ALGORITHMS, DETAILED, DrawOutcome, snapshot_digest
from inspections.draws.models import ConflictDeclaration, DrawItemList, ObjectDirectory, RandomDraw
from inspections.draws.selectors import directory_enterprises, inspector_pool
from inspections.plans.models import (
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
)
from inspections.plans.services import cancel_planned_inspections

CURRENT_ALGORITHM = "v1"
#: Per-enterprise yearly cap when the draw is not tied to a plan (plans default to 6 too).
DEFAULT_PER_ENTERPRISE_CAP = 6
#: Who performs draws, redraws and publications; everyone else reads.
DRAW_ROLES = (Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
#: Key-supervision inspections spread one per quarter, mid-quarter.
KEY_INSPECTION_MONTHS = (2, 5, 8, 11)
MAX_DRAW_SIZE = 1000
#: High 16 bits of the advisory-lock key of lock_yearly_cap ("PI", planned inspections).
#: Fixed forever: two versions of the code running side by side must agree on it.
YEARLY_CAP_LOCK_NAMESPACE = 0x5049


# --- Roles, jurisdiction, locks ----------------------------------------------------

def _require_roles(actor: Any, *roles: str) -> None:
    if (actor is None or not getattr(actor, "is_authenticated", False)
            or not actor.has_role(*roles)):
        raise Forbidden("您的角色无权执行此双随机抽查操作。",
                        "Your role may not perform this random-draw step.")


def _require_authority_scope(actor: Any, authority: Authority) -> None:
    """The authority lies in the actor's jurisdiction (the municipal level covers all)."""
    path = user_scope_path(actor)
    if path is None or not authority.jurisdiction.path.startswith(path):
        raise Forbidden("该执法主体不在您的管辖范围内，不能为其抽取、重抽或公示。",
                        "The authority is outside your jurisdiction.",
                        code="out_of_jurisdiction")


def lock_yearly_cap(authority_id: int, year: int) -> None:
    """Serialise writers of one authority's planned inspections for one year (call
    inside their transaction; released at commit or rollback).

    The per-enterprise yearly cap is checked against counts read from the table: two
    writers reading them at once (two draws, a draw and the key-supervision
    inspections, two versions of a plan) could together exceed it. A transaction-scoped
    advisory lock on (authority, year) makes them take turns, whatever rows they touch.
    """
    if not 0 < authority_id < 2**32 or not 0 <= year < 2**16:
        raise ValueError("authority id or year out of range for the lock key")
    key = (YEARLY_CAP_LOCK_NAMESPACE << 48) | (authority_id << 16) | year
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _lock_draw(draw: RandomDraw) -> RandomDraw:
    return (RandomDraw.objects.select_for_update(of=("self",))
            .select_related("authority__jurisdiction", "object_directory__authority__jurisdiction",
                            "item_list", "plan", "scheme")
            .get(pk=draw.pk))


def validate_filter_params(params: Any) -> dict[str, str]:
    """The directory's saved EnterpriseFilter parameters, checked and normalised."""
    if not isinstance(params, dict):
        raise InvalidInput("筛选条件格式错误，应为键值对。", "filter_params must be an object.",
                           fields={"filter_params": ["筛选条件格式错误。"]})
    allowed = set(EnterpriseFilter.base_filters)
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise InvalidInput(f"不支持的筛选条件：{'、'.join(unknown)}",
                           f"Unknown filter parameters: {', '.join(unknown)}",
                           fields={"filter_params": [f"不支持的筛选条件：{'、'.join(unknown)}"]})
    # The directory only ever holds operating enterprises: a status filter would lie.
    if "status" in params:
        raise InvalidInput("名录库只包含在营单位，不能按经营状态筛选。",
                           "Directories hold operating enterprises only; drop 'status'.",
                           fields={"filter_params": ["不能按经营状态筛选。"]})
    clean = {str(k): str(v) for k, v in params.items() if v not in (None, "")}
    filterset = EnterpriseFilter(clean, queryset=Enterprise.objects.none())
    if not filterset.is_valid():
        messages = [f"{k}: {'；'.join(str(m) for m in v)}" for k, v in filterset.errors.items()]
        raise InvalidInput("筛选条件无效：" + "；".join(messages),
                           "Invalid filter parameters.",
                           fields={"filter_params": messages})
    return clean


# --- Object directories, item lists, conflicts ------------------------------------

def _actor_authority(actor: Any, authority: Authority | None) -> Authority:
    if authority is None:
        authority = getattr(actor, "authority", None)
    if authority is None:
        raise InvalidInput("请指定执法主体。", "An authority is required.",
                           fields={"authority": ["请指定执法主体。"]})
    if not Authority.objects.visible_to(actor).filter(pk=authority.pk).exists():
        raise InvalidInput("执法主体不在您的管辖范围内。",
                           "The authority is outside your jurisdiction.",
                           fields={"authority": ["执法主体不在您的管辖范围内。"]})
    return authority


def _require_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("请填写名称。", "A name is required.", fields={"name": ["请填写名称。"]})
    if len(name) > 200:
        raise InvalidInput("名称最多 200 个字符。", "The name is too long (max 200).",
                           fields={"name": ["名称最多 200 个字符。"]})
    return name


def _require_reason(reason: str, field: str, missing: str, missing_en: str) -> str:
    """A reason of 1–255 characters (bad input is refused, never silently cut)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(missing, missing_en, fields={field: [missing]})
    if len(reason) > 255:
        raise InvalidInput("理由最多 255 个字符。", "The reason is too long (max 255).",
                           fields={field: ["理由最多 255 个字符。"]})
    return reason


def create_object_directory(actor: Any, name: str, filter_params: dict[str, Any],
                            authority: Authority | None = None) -> ObjectDirectory:
    _require_roles(actor, *DRAW_ROLES)
    authority = _actor_authority(actor, authority)
    name = _require_name(name)
    params = validate_filter_params(filter_params or {})
    with transaction.atomic():
        directory = ObjectDirectory.objects.create(authority=authority, name=name,
                                                   filter_params=params)
        record_event("draw.directory_created", actor=actor, obj=directory,
                     new={"name": name, "filter_params": params,
                          "authority": authority.code})
    return directory


def create_item_list(actor: Any, name: str, templates: Iterable[ChecklistTemplate],
                     authority: Authority | None = None) -> DrawItemList:
    _require_roles(actor, *DRAW_ROLES)
    authority = _actor_authority(actor, authority)
    name = _require_name(name)
    templates = list(templates)
    if not templates:
        raise InvalidInput("事项清单至少包含一张检查表。", "Pick at least one checklist template.",
                           fields={"templates": ["请至少选择一张检查表。"]})
    inactive = [t.code for t in templates if not t.active]
    if inactive:
        raise InvalidInput(f"检查表已停用：{'、'.join(inactive)}",
                           "Some checklist templates are inactive.",
                           fields={"templates": ["不能选择已停用的检查表。"]})
    with transaction.atomic():
        item_list = DrawItemList.objects.create(authority=authority, name=name)
        item_list.templates.set(templates)
        record_event("draw.item_list_created", actor=actor, obj=item_list,
                     new={"name": name, "templates": sorted(t.code for t in templates)})
    return item_list


def declare_conflict(actor: Any, inspector: User, enterprise: Enterprise,
                     reason: str) -> ConflictDeclaration:
    """An inspector declares their own conflict; chiefs and above declare for others."""
    _require_roles(actor, *DRAW_ROLES, Role.INSPECTOR)
    if not actor.has_role(*DRAW_ROLES) and inspector.pk != actor.pk:
        raise Forbidden("执法人员只能为本人声明回避。",
                        "An inspector may declare only their own conflicts.")
    reason = _require_reason(reason, "reason", "请填写回避理由。", "A reason is required.")
    if not User.objects.visible_to(actor).filter(pk=inspector.pk).exists():
        raise InvalidInput("执法人员不在您的管辖范围内。",
                           "The inspector is outside your jurisdiction.",
                           fields={"inspector": ["执法人员不在您的管辖范围内。"]})
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise InvalidInput("单位不在您的管辖范围内。",
                           "The enterprise is outside your jurisdiction.",
                           fields={"enterprise": ["单位不在您的管辖范围内。"]})
    with transaction.atomic():
        if ConflictDeclaration.objects.filter(inspector=inspector,
                                              enterprise=enterprise).exists():
            raise DomainError("该执法人员已就该单位声明回避。",
                              "This conflict is already declared.", code="duplicate")
        conflict = ConflictDeclaration.objects.create(inspector=inspector,
                                                      enterprise=enterprise,
                                                      reason=reason)
        record_event("draw.conflict_declared", actor=actor, obj=enterprise,
                     new={"inspector": inspector.pk, "enterprise": enterprise.pk},
                     reason=reason)
    return conflict


# --- Snapshot and draw ------------------------------------------------------------

def _build_snapshot(actor: Any, directory: ObjectDirectory, item_list: DrawItemList,
                   year: int, month: int, cap: int, day: datetime.date) -> dict[str, Any]:
    """Everything the algorithm reads, as plain sorted JSON (ids, pairs, counts)."""
    directory_qs = directory_enterprises(directory, actor)
    enterprise_ids = sorted(directory_qs.values_list("pk", flat=True))
    inspector_ids = sorted(inspector_pool(directory.authority, day)
                           .values_list("pk", flat=True))
    # The directory is passed to the database as a subquery, not as a list of ids: a
    # city-wide directory holds hundreds of thousands of enterprises.
    in_directory = directory_qs.values("pk")
    conflicts = sorted(
        [i, e] for i, e in ConflictDeclaration.objects.filter(
            enterprise_id__in=in_directory, inspector_id__in=inspector_ids,
        ).values_list("inspector_id", "enterprise_id"))
    # Last inspector(s): those of each enterprise's latest completed planned inspection
    # (DISTINCT ON enterprise; an undated completion counts as the oldest).
    latest = (PlannedInspection.objects
              .filter(enterprise_id__in=in_directory, status=PlannedInspection.Status.DONE)
              .order_by("enterprise_id", F("done_at").desc(nulls_last=True), "-id")
              .distinct("enterprise_id").values("id"))
    insp_set = set(inspector_ids)
    last_pairs = sorted(
        [i, e] for e, i in PlannedInspection.inspectors.through.objects.filter(
            plannedinspection_id__in=latest,
        ).values_list("plannedinspection__enterprise_id", "user_id")
        if i in insp_set)
    # One aggregate: the live (not cancelled) planned inspections per enterprise.
    counts = {str(enterprise_id): total for enterprise_id, total in (
        PlannedInspection.objects.filter(enterprise_id__in=in_directory, year=year)
        .exclude(status=PlannedInspection.Status.CANCELLED)
        .order_by("enterprise_id").values("enterprise_id")
        .annotate(total=Count("id")).values_list("enterprise_id", "total"))}
    return {
        "authority": directory.authority.code,
        "directory": {"id": directory.pk, "filter_params": directory.filter_params or {}},
        "item_list": {"id": item_list.pk,
                      "templates": sorted(item_list.templates.values_list("code", flat=True))},
        "draw_date": day.isoformat(),
        "year": year,
        "month": month,
        "cap": cap,
        "enterprises": enterprise_ids,
        "inspectors": inspector_ids,
        "conflicts": conflicts,
        "last_inspectors": last_pairs,
        "counts": dict(sorted(counts.items(), key=lambda kv: int(kv[0]))),
    }


def _validate_draw_input(year: int, month: int, n: int) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = ["年度无效。"]
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors["month"] = ["月份应为 1–12。"]
    if not isinstance(n, int) or not 1 <= n <= MAX_DRAW_SIZE:
        errors["enterprise_count"] = [f"抽取企业数应为 1–{MAX_DRAW_SIZE}。"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(f"输入有误：{first}", "Invalid draw parameters.", fields=errors)


def _execute(actor: Any, directory: ObjectDirectory, item_list: DrawItemList, year: int,
             month: int, n: int, plan: EnforcementPlan | None,
             scheme: InspectionScheme | None, seed: str | None,
             replaces: RandomDraw | None, reason: str) -> tuple[RandomDraw, DrawOutcome]:
    """Snapshot, draw and write; the caller holds the transaction."""
    if item_list.authority_id != directory.authority_id:
        raise InvalidInput("名录库与事项清单须属于同一执法主体。",
                           "Directory and item list belong to different authorities.",
                           fields={"item_list": ["事项清单与名录库不属于同一执法主体。"]})
    if plan is not None and (plan.authority_id != directory.authority_id or plan.year != year):
        raise InvalidInput("年度计划须为同一执法主体、同一年度的计划。",
                           "The plan must be the directory authority's plan for that year.",
                           fields={"plan": ["年度计划与执法主体或年度不符。"]})
    if scheme is not None and scheme.authority_id != directory.authority_id:
        raise InvalidInput("检查方案须属于同一执法主体。",
                           "The scheme belongs to another authority.",
                           fields={"scheme": ["检查方案不属于该执法主体。"]})
    # Writers of one authority's planned inspections for the year take turns: two
    # concurrent draws would both read the same per-enterprise counts and could
    # together exceed the cap.
    lock_yearly_cap(directory.authority_id, year)
    day = timezone.localdate()
    cap = plan.per_enterprise_cap if plan is not None else DEFAULT_PER_ENTERPRISE_CAP
    snapshot = _build_snapshot(actor, directory, item_list, year, month, cap, day)
    if len(snapshot["inspectors"]) < 2:
        raise DomainError(
            "执法检查人员名录库中持有效执法证的人员不足 2 人，无法抽取。",
            "Fewer than 2 certified inspectors are available; cannot draw.",
            code="too_few_inspectors")
    seed = seed if seed else secrets.token_hex(16)
    if len(seed) > 64:
        raise InvalidInput("随机种子过长（最多 64 个字符）。", "Seed too long (max 64).",
                           fields={"seed": ["随机种子最多 64 个字符。"]})
    outcome = DETAILED[CURRENT_ALGORITHM](seed, snapshot, n)
    if not outcome.assignments:
        if outcome.eligible == 0:
            raise DomainError("名录库中没有可抽取的单位（均已达年度检查上限或名录为空）。",
                              "No enterprise is eligible (empty directory or all capped).",
                              code="nothing_to_draw")
        raise DomainError("抽中的单位均因回避后可用执法人员不足 2 人而无法配对。",
                          "No sampled enterprise has 2 inspectors left after recusal.",
                          code="too_few_inspectors")
    draw = RandomDraw.objects.create(
        authority=directory.authority, plan=plan, scheme=scheme, object_directory=directory,
        item_list=item_list, year=year, month=month, enterprise_count=n, seed=seed,
        algorithm_version=CURRENT_ALGORITHM, snapshot=snapshot,
        snapshot_sha256=snapshot_digest(snapshot), result=outcome.assignments,
        report=outcome.report(), replaces=replaces, redraw_reason=reason, drawn_by=actor)
    # Set-based: one INSERT for the planned inspections (ids returned), one for their
    # inspectors, however many enterprises were drawn.
    planned = PlannedInspection.objects.bulk_create([
        PlannedInspection(authority_id=directory.authority_id, plan=plan, draw=draw,
                          enterprise_id=row["enterprise"], category=PlanCategory.RANDOM,
                          source=PlannedInspection.Source.DRAW, year=year, month=month)
        for row in outcome.assignments])
    through = PlannedInspection.inspectors.through
    through.objects.bulk_create([
        through(plannedinspection_id=row.pk, user_id=inspector)
        for row, assignment in zip(planned, outcome.assignments, strict=True)
        for inspector in assignment["inspectors"]])
    return draw, outcome


def perform_draw(actor: Any, directory: ObjectDirectory, item_list: DrawItemList, year: int,
                 month: int, n: int, plan: EnforcementPlan | None = None,
                 scheme: InspectionScheme | None = None,
                 seed: str | None = None) -> RandomDraw:
    """A new draw (never an update of an existing one) and its planned inspections."""
    _require_roles(actor, *DRAW_ROLES)
    _validate_draw_input(year, month, n)
    _require_authority_scope(actor, directory.authority)
    with transaction.atomic():
        draw, outcome = _execute(actor, directory, item_list, year, month, n, plan, scheme,
                                 seed, None, "")
        record_event("draw.performed", actor=actor, obj=draw,
                     new={"seed": draw.seed, "algorithm_version": draw.algorithm_version,
                          "snapshot_sha256": draw.snapshot_sha256,
                          "result": draw.result, "report": outcome.report()})
    return draw


def redraw(draw: RandomDraw, actor: Any, reason: str, seed: str | None = None) -> RandomDraw:
    """A new draw replacing `draw`, with a reason; the old planned inspections cancelled
    (each cancellation audited, set-based)."""
    with transaction.atomic():
        old = _lock_draw(draw)
        _require_roles(actor, *DRAW_ROLES)
        _require_authority_scope(actor, old.authority)
        reason = _require_reason(reason, "reason", "重新抽取必须填写理由。",
                                 "A reason is required to redraw.")
        if RandomDraw.objects.filter(replaces=old).exists():
            raise DomainError("该抽取已被重新抽取替代，不能再次重抽。",
                              "This draw has already been replaced.", code="already_replaced")
        if old.results_published_at is not None:
            raise DomainError("抽取结果已公示，不能重新抽取。",
                              "Results are published; the draw cannot be redone.",
                              code="already_published")
        planned = PlannedInspection.objects.filter(draw=old)
        # Lock the old planned inspections before looking at their statuses: one being
        # marked done concurrently waits for us, or we see it done.
        statuses = set(planned.select_for_update().values_list("status", flat=True))
        if PlannedInspection.Status.DONE in statuses:
            raise DomainError("已有抽中单位完成检查，不能重新抽取。",
                              "Some drawn inspections are done; the draw cannot be redone.",
                              code="inspections_done")
        cancelled = cancel_planned_inspections(planned, actor=actor,
                                               reason=f"重新抽取：{reason}")
        new, outcome = _execute(actor, old.object_directory, old.item_list, old.year,
                                old.month, old.enterprise_count, old.plan, old.scheme, seed,
                                old, reason)
        record_event("draw.replaced", actor=actor, obj=old,
                     old={"planned_inspections": len(cancelled)},
                     new={"replaced_by": new.pk}, reason=reason)
        record_event("draw.redrawn", actor=actor, obj=new,
                     new={"replaces": old.pk, "seed": new.seed,
                          "algorithm_version": new.algorithm_version,
                          "snapshot_sha256": new.snapshot_sha256, "result": new.result,
                          "report": outcome.report()},
                     reason=reason)
    return new


def publish_results(draw: RandomDraw, actor: Any) -> RandomDraw:
    """公开: the draw's results are published (a superseded draw is not).

    ``results_published_at`` is a fact about the draw, not a workflow status; the row is
    locked before the checks, so a concurrent redraw or second publication waits.
    """
    with transaction.atomic():
        current = _lock_draw(draw)
        _require_roles(actor, *DRAW_ROLES)
        _require_authority_scope(actor, current.authority)
        if RandomDraw.objects.filter(replaces=current).exists():
            raise DomainError("该抽取已被重新抽取替代，不能公示。",
                              "A replaced draw cannot be published.", code="already_replaced")
        if current.results_published_at is not None:
            raise DomainError("抽取结果已公示。", "Results are already published.",
                              code="already_published")
        current.results_published_at = timezone.now()
        current.save(update_fields=["results_published_at"])
        record_event("draw.results_published", actor=actor, obj=current,
                     new={"results_published_at": current.results_published_at})
    return current


def draw_report(draw: RandomDraw) -> dict[str, Any]:
    """What the draw could not do (capped, skipped, shortfall), as stored when drawn.

    Draws stored before the report was (and not backfilled: an unknown algorithm
    version) are recomputed here from their seed and snapshot; nothing is written.
    """
    if draw.report is not None:
        return dict(draw.report)
    algorithm = DETAILED.get(draw.algorithm_version)
    if algorithm is None:
        return {}
    return algorithm(draw.seed, draw.snapshot, draw.enterprise_count).report()


def verify_draw(draw: RandomDraw) -> bool:
    """True when the stored snapshot matches its hash and seed + snapshot + version
    recompute exactly the stored result."""
    algorithm = ALGORITHMS.get(draw.algorithm_version)
    if algorithm is None or not isinstance(draw.snapshot, dict):
        return False
    if snapshot_digest(draw.snapshot) != draw.snapshot_sha256:
        return False
    try:
        result = algorithm(draw.seed, draw.snapshot, draw.enterprise_count)
    except (KeyError, TypeError, ValueError):
        return False
    return bool(result == draw.result)


