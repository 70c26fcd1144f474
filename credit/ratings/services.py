"""Integrity rating steps: the annual computation for an authority's enterprises, review,
publication (pushed to the credit platforms through the outbox), the immediate
downgrade on an event during the year, and safety commitments.

Separation of duties: who reviews a rating did not compute it; publication is the
head's (district approver or municipal administrator).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from credit.outbox.services import enqueue
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Role
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workflow import transition, transition_many

from .inputs import read_inputs
from .models import (
    RATING_WORKFLOW,
    CreditCommitment,
    IntegrityRating,
    RatingLevel,
    RatingRule,
)
from .rules import evaluate

R = IntegrityRating.Status
STAFF_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
REVIEW_ROLES = (Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
HEAD_ROLES = (Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)


def _require(actor: Any, roles: tuple[str, ...], authority: Authority) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *roles):
        raise Forbidden("您的角色无权办理此环节。", "Your role may not take this step.")
    path = user_scope_path(actor)
    if path is None or (path and not authority.jurisdiction.path.startswith(path)):
        raise Forbidden("不在您的管辖范围内。", "Not within your jurisdiction.")


def rated_enterprises(authority: Authority) -> QuerySet[Enterprise]:
    """Who is rated each year: operating enterprises the authority supervises in key
    industries (高危行业) or above designated size (规模以上)."""
    return (Enterprise.objects.filter(supervising_authority=authority,
                                      status=Enterprise.Status.OPERATING)
            .filter(Q(is_high_risk=True) | Q(above_designated_size=True)))


def _rules() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [dict(r) for r in RatingRule.objects.filter(active=True).values(
        "id", "rank", "level", "match", "conditions", "description", "immediate")]
    if not rows:
        raise InvalidInput("诚信等级评定规则为空，请先维护规则表。",
                           "The rating rule table is empty.")
    return rows


@transaction.atomic
def compute_year(authority: Authority, year: int, *, actor: Any) -> int:
    """Rate the authority's enterprises for ``year``: unpublished ratings of the year are
    replaced; an enterprise whose rating of the year is published keeps it (withdraw it
    first to rate it again: one current rating per enterprise and year). Returns how
    many were computed. A fixed number of queries plus one batched insert."""
    _require(actor, STAFF_ROLES, authority)
    if not 2000 <= year <= local_date(timezone.now()).year:
        raise InvalidInput("评定年度无效。", "Invalid year.", fields={"year": ["年度无效。"]})
    ids = list(rated_enterprises(authority).values_list("pk", flat=True))
    rules = _rules()
    transition_many(RATING_WORKFLOW, IntegrityRating.objects.filter(
        enterprise_id__in=ids, year=year, status__in=[R.COMPUTED, R.REVIEWED]),
        R.SUPERSEDED, actor=actor, reason="重新评定", subject_related=("enterprise",))
    published = set(IntegrityRating.objects.filter(
        enterprise_id__in=ids, year=year, status=R.PUBLISHED).values_list("enterprise_id",
                                                                          flat=True))
    now = timezone.now()
    rows = []
    for pk, inputs in read_inputs(ids, year).items():
        if pk in published:
            continue  # published stands; withdraw() it to rate again
        outcome = evaluate(inputs, rules)
        rows.append(IntegrityRating(
            enterprise_id=pk, authority=authority, year=year, level=outcome.level,
            inputs=inputs, explanation=[*outcome.explanation, *_accident_lines(inputs)],
            rule=outcome.rule,
            computed_at=now, computed_by=actor))
    IntegrityRating.objects.bulk_create(rows)
    from hangzhou_safety.audit.services import record_event

    record_event("rating.computed", actor=actor, obj=authority,
                 new={"year": year, "count": len(rows)})
    return len(rows)


def _accident_lines(inputs: dict[str, Any]) -> list[str]:
    return [f"年度事故：{line}" for line in inputs.get("accident_list", ())]


def review(rating: IntegrityRating | int, *, actor: Any) -> IntegrityRating:
    def guard(row: IntegrityRating) -> None:
        _require(actor, REVIEW_ROLES, row.authority)
        if row.computed_by_id is not None and row.computed_by_id == actor.pk:
            raise Forbidden("评定结果须由评定人以外的人员审核。",
                            "The person who computed a rating may not review it.")

    moved: IntegrityRating = transition(
        RATING_WORKFLOW, rating, R.REVIEWED, actor=actor, guard=guard,
        changes=lambda row: {"reviewed_by": actor, "reviewed_at": timezone.now()})
    return moved


def _push(row: IntegrityRating) -> None:
    enqueue(topic="rating.publish", enterprise_id=row.enterprise_id,
            key=f"rating:{row.pk}",
            payload={"uscc": row.enterprise.uscc, "name": row.enterprise.name,
                     "year": row.year, "level": row.level, "reason": row.reason,
                     "authority": row.authority.name})


def _supersede_published(row: IntegrityRating, actor: Any) -> None:
    transition_many(RATING_WORKFLOW, IntegrityRating.objects.filter(
        enterprise_id=row.enterprise_id, year=row.year, status=R.PUBLISHED).exclude(pk=row.pk),
        R.SUPERSEDED, actor=actor, reason="新的评定结果发布", subject_related=("enterprise",))


def publish(rating: IntegrityRating | int, *, actor: Any) -> IntegrityRating:
    with transaction.atomic():
        row = IntegrityRating.objects.select_related("enterprise", "authority").get(
            pk=rating.pk if isinstance(rating, IntegrityRating) else rating)
        _supersede_published(row, actor)
        moved: IntegrityRating = transition(
            RATING_WORKFLOW, row.pk, R.PUBLISHED, actor=actor,
            guard=lambda r: _require(actor, HEAD_ROLES, r.authority),
            changes={"published_at": timezone.now()})
        _push(row)
    return moved


def withdraw(rating: IntegrityRating | int, *, actor: Any, reason: str) -> IntegrityRating:
    """撤回 a rating found wrong (the head, with the reason): it stops counting; the next
    computation rates the enterprise again."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("请填写撤回理由。", "A reason is required.",
                           fields={"reason": ["必填。"]})
    moved: IntegrityRating = transition(
        RATING_WORKFLOW, rating, R.SUPERSEDED, actor=actor, reason=text,
        guard=lambda row: _require(actor, HEAD_ROLES, row.authority), event="rating.withdrawn")
    return moved


def downgrade(enterprise: Enterprise, *, level: str, why: str, actor: Any = None,
              on: datetime.date | None = None, authority: Authority | None = None,
              detail: list[str] | None = None) -> IntegrityRating | None:
    """An event during the year (a blacklisting, a major accident) lowers the rating at
    once: a published rating of ``level`` replaces the year's rating when it is better.
    ``authority`` rates it when the enterprise has no supervising authority on record
    (the authority that punished). Returns None when the enterprise is already at or
    below ``level``."""
    if level not in RatingLevel.values:
        raise InvalidInput("等级无效。", "Invalid level.")
    year = (on or local_date(timezone.now())).year
    order = ["A", "B", "C", "D"]
    with transaction.atomic():
        current = (IntegrityRating.objects.select_for_update()
                   .filter(enterprise=enterprise, year=year).exclude(status=R.SUPERSEDED)
                   .first())
        if current is not None and order.index(current.level) >= order.index(level):
            return None
        if current is not None:
            transition(RATING_WORKFLOW, current, R.SUPERSEDED, actor=actor,
                       reason=f"即时降级：{why}", locked=current)
        authority = enterprise.supervising_authority or authority
        if authority is None:
            return None
        inputs = read_inputs([enterprise.pk], year)[enterprise.pk]
        row = IntegrityRating.objects.create(
            enterprise=enterprise, authority=authority, year=year, level=level,
            reason=IntegrityRating.Reason.DOWNGRADE, inputs=inputs,
            explanation=[f"即时降级为{level}级：{why}",
                         *([f"原等级：{current.level}级"] if current is not None else []),
                         *(detail or [])],
            rule={"event": why}, status=R.PUBLISHED, published_at=timezone.now(),
            computed_by=actor)
        from hangzhou_safety.audit.services import record_event

        record_event("rating.downgraded", actor=actor, obj=enterprise,
                     new={"rating": row.pk, "level": level, "why": why})
        row.enterprise = enterprise
        _push(row)
    return row


def downgrade_on_event(enterprise: Enterprise, *, why: str, on: datetime.date,
                       actor: Any = None, authority: Authority | None = None
                       ) -> IntegrityRating | None:
    """An event during the year (a major accident): the rule table's ``immediate`` rows
    are tried on the enterprise's inputs of that year as they now stand; the first that
    holds gives the level, and the rating is downgraded to it at once (``downgrade``, the
    blacklisting's path) when that is worse. None when no immediate row holds or the
    rating is already as low."""
    rules = [dict(r) for r in RatingRule.objects.filter(active=True, immediate=True).values(
        "id", "rank", "level", "match", "conditions", "description", "immediate")]
    if not rules:
        return None
    inputs = read_inputs([enterprise.pk], on.year)[enterprise.pk]
    try:
        outcome = evaluate(inputs, rules)
    except ValueError:
        return None  # no immediate row holds: the annual computation weighs the event
    return downgrade(enterprise, level=outcome.level, why=why, actor=actor, on=on,
                     authority=authority,
                     detail=[*outcome.explanation, *_accident_lines(inputs)])


def record_commitment(enterprise: Enterprise, *, actor: Any, signed_on: datetime.date,
                      content: str) -> CreditCommitment:
    authority = enterprise.supervising_authority
    if authority is None:
        raise InvalidInput("该单位没有监管部门。", "The enterprise has no supervising authority.")
    _require(actor, STAFF_ROLES, authority)
    text = (content or "").strip()
    if not text:
        raise InvalidInput("请填写承诺内容。", "The commitment is empty.",
                           fields={"content": ["必填。"]})
    if signed_on > local_date(timezone.now()):
        raise InvalidInput("承诺日期不能晚于今天。", "The date is in the future.",
                           fields={"signed_on": ["不能晚于今天。"]})
    row = CreditCommitment.objects.create(enterprise=enterprise, authority=authority,
                                          signed_on=signed_on, content=text, recorded_by=actor)
    from hangzhou_safety.audit.services import record_event

    record_event("commitment.recorded", actor=actor, obj=enterprise, new={"commitment": row.pk})
    return row


@transaction.atomic
def record_breach(commitment: CreditCommitment | int, *, actor: Any, on: datetime.date,
                  reason: str) -> CreditCommitment:
    row = CreditCommitment.objects.select_for_update().select_related(
        "authority__jurisdiction", "enterprise").get(
        pk=commitment.pk if isinstance(commitment, CreditCommitment) else commitment)
    _require(actor, STAFF_ROLES, row.authority)
    if row.broken_on is not None:
        raise InvalidInput("该承诺的违诺情形已登记。", "The breach is already recorded.")
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("请填写违诺情形。", "The breach needs its facts.",
                           fields={"reason": ["必填。"]})
    if on < row.signed_on or on > local_date(timezone.now()):
        raise InvalidInput("违诺日期应在承诺日期之后、今天之前。", "Invalid breach date.",
                           fields={"on": ["日期无效。"]})
    row.broken_on, row.broken_reason, row.broken_recorded_by = on, text, actor
    row.save(update_fields=["broken_on", "broken_reason", "broken_recorded_by"])
    from hangzhou_safety.audit.services import record_event

    record_event("commitment.broken", actor=actor, obj=row.enterprise,
                 new={"commitment": row.pk, "on": str(on)})
    return row
