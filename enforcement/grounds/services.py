"""Steps on the discretion table (裁量基准) and the fine check the cases call.

For the cases sub-package (the interface it relies on)
------------------------------------------------------
1. Pick the row: ``selectors.benchmark_for(violation_code, level, on=filing_date)``
   (the version in force; RuleMissing 409 if none).
2. At the proposed handling (案件审理) and again at the decision (决定), call
   ``check_proposed_fine(row, amount, party_kind=PartyKind.ORGANISATION | PERSON,
   departure_reason=..., collective_discussion_ref=...)``:
   - amount inside the row's range: returns None;
   - outside the row's range but inside the article's statutory range, with BOTH a
     departure reason and the reference of the collective-discussion record
     (集体讨论记录, e.g. its document number): returns a :class:`Departure`, which
     the case stores with the decision (``Departure.as_dict()``);
   - outside the row's range without both: FineOutsideBenchmark (409);
   - outside the statutory range: FineOutsideStatutoryRange (409), always;
   - a party the row gives no fine to: NoFineForParty (400); a bad amount or only one
     of reason/reference: InvalidInput (400).
   Nothing is written: the check is pure, so it can run in the case's transaction.
3. With the decision keep ``row.violation.version_id``, ``row.pk`` and
   ``selectors.applied_row_snapshot(row)``.

Version steps (municipal administrator only): :func:`new_draft_from`,
:func:`publish_version`, :func:`supersede_version`, each through the one transition
primitive and audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import lock, transition

from .models import (
    DISCRETION_VERSION_WORKFLOW,
    DiscretionBenchmark,
    DiscretionVersion,
    PartyKind,
    ViolationType,
)
from .selectors import version_in_force

V = DiscretionVersion.Status
#: High 16 bits of the advisory-lock key serialising publications ("DV").
PUBLISH_LOCK_PREFIX = 0x4456 << 32


class FineOutsideBenchmark(DomainError):
    """The amount is outside the row's range and no recorded departure covers it."""

    status_code = 409
    code = "fine_outside_benchmark"


class FineOutsideStatutoryRange(DomainError):
    """The amount is outside the article's own range: no discussion can allow it."""

    status_code = 409
    code = "fine_outside_statutory_range"


class NoFineForParty(InvalidInput):
    code = "no_fine_for_party"


class VersionFrozen(DomainError):
    """A published or superseded version is immutable (also enforced by a trigger)."""

    status_code = 409
    code = "discretion_version_frozen"


# --- The fine check -----------------------------------------------------------------

PARTY_LABELS = {PartyKind.ORGANISATION: ("单位", "the unit"),
                PartyKind.PERSON: ("个人", "the person")}


@dataclass(frozen=True)
class Departure:
    """A fine outside the row's range, accepted on a recorded collective discussion.

    The case saves ``as_dict()`` with its decision: it names the row, the range it
    departs from, the statutory range it stays within, the reason and the record.
    """

    version_id: int
    row_id: int
    party_kind: str
    amount: Decimal
    row_range: tuple[Decimal, Decimal]
    statutory_range: tuple[Decimal, Decimal]
    reason: str
    collective_discussion_ref: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id, "row_id": self.row_id,
            "party_kind": self.party_kind, "amount": f"{self.amount:.2f}",
            "row_range": [f"{v:.2f}" for v in self.row_range],
            "statutory_range": [f"{v:.2f}" for v in self.statutory_range],
            "reason": self.reason, "collective_discussion_ref": self.collective_discussion_ref,
        }


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _row_label(row: DiscretionBenchmark) -> tuple[str, str]:
    violation = row.violation
    zh = (f"裁量基准“{violation.code} {violation.name}”{row.get_level_display()}阶次"
          f"（版本{violation.version_id}，第{row.pk}行）")
    en = (f"discretion row {row.pk} ({violation.code}, level '{row.level}', "
          f"version {violation.version_id})")
    return zh, en


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _bad_amount() from exc
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise _bad_amount()
    return amount


def _bad_amount() -> InvalidInput:
    message = "罚款金额须为大于零、最多两位小数的数额（元）。"
    return InvalidInput(message, "The fine must be a positive amount in yuan with at most "
                        "two decimals.", fields={"amount": [message]})


def _ranges(row: DiscretionBenchmark, party_kind: str
            ) -> tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal]]:
    if party_kind not in PartyKind.values:
        message = "当事人类型须为单位或个人。"
        raise InvalidInput(message, "party_kind must be 'organisation' or 'person'.",
                           fields={"party_kind": [message]})
    band, statutory = row.fine_range(party_kind), row.statutory_range(party_kind)
    if band is None or statutory is None:
        zh_party, en_party = PARTY_LABELS[PartyKind(party_kind)]
        zh_row, en_row = _row_label(row)
        raise NoFineForParty(
            f"{zh_row}未规定对{zh_party}的罚款，请选择对应的阶次或处罚对象。",
            f"The {en_row} foresees no fine for {en_party}.",
            fields={"party_kind": [f"该阶次未规定对{zh_party}的罚款。"]})
    return band, statutory


def departure_allowed(row: DiscretionBenchmark, amount: Any, *, party_kind: str) -> bool:
    """Whether a collective discussion could allow ``amount``: inside the article's
    statutory range for that party (the row's own range needs no departure)."""
    low, high = _ranges(row, party_kind)[1]
    return low <= _amount(amount) <= high


def needs_departure(row: DiscretionBenchmark, amount: Any, *, party_kind: str) -> bool:
    """Whether ``amount`` lies outside the row's range (so a departure must be recorded)."""
    low, high = _ranges(row, party_kind)[0]
    return not low <= _amount(amount) <= high


def check_proposed_fine(row: DiscretionBenchmark, amount: Any, *, party_kind: str,
                        departure_reason: str | None = None,
                        collective_discussion_ref: str | None = None) -> Departure | None:
    """Refuse a fine the row does not allow; see the module docstring for the contract.

    Returns None for an amount inside the row's range, a :class:`Departure` for an
    amount outside it that a recorded collective discussion covers.
    """
    value = _amount(amount)
    (low, high), (stat_low, stat_high) = _ranges(row, party_kind)
    reason = (departure_reason or "").strip()
    reference = (collective_discussion_ref or "").strip()
    zh_row, en_row = _row_label(row)
    zh_party, en_party = PARTY_LABELS[PartyKind(party_kind)]
    if not stat_low <= value <= stat_high:
        raise FineOutsideStatutoryRange(
            f"拟处罚款{_yuan(value)}元超出{row.violation.penalty_statute}"
            f"{row.violation.penalty_article}规定的对{zh_party}罚款法定幅度"
            f"{_yuan(stat_low)}元至{_yuan(stat_high)}元（{zh_row}），不得作出。",
            f"The proposed fine of {_yuan(value)} yuan is outside the statutory range "
            f"{_yuan(stat_low)}–{_yuan(stat_high)} yuan for {en_party} of "
            f"{en_row}; no discussion can allow it.",
            fields={"amount": [f"法定幅度为{_yuan(stat_low)}元至{_yuan(stat_high)}元。"]})
    if low <= value <= high:
        return None
    if bool(reason) != bool(reference):
        message = "偏离裁量基准须同时填写偏离理由和集体讨论记录编号。"
        raise InvalidInput(message, "A departure needs both its reason and the reference of "
                           "the collective-discussion record.",
                           fields={"departure_reason" if not reason
                                   else "collective_discussion_ref": [message]})
    if not reason:
        raise FineOutsideBenchmark(
            f"拟处罚款{_yuan(value)}元不在{zh_row}规定的对{zh_party}罚款幅度"
            f"{_yuan(low)}元至{_yuan(high)}元内；确需偏离的，须经集体讨论并记录理由。",
            f"The proposed fine of {_yuan(value)} yuan is outside the range "
            f"{_yuan(low)}–{_yuan(high)} yuan for {en_party} of {en_row}; a departure "
            "needs a collective discussion and its recorded reason.",
            fields={"amount": [f"裁量幅度为{_yuan(low)}元至{_yuan(high)}元。"]})
    return Departure(version_id=row.violation.version_id, row_id=row.pk,
                     party_kind=str(party_kind), amount=value, row_range=(low, high),
                     statutory_range=(stat_low, stat_high), reason=reason,
                     collective_discussion_ref=reference)


# --- Maintaining the table (municipal administrator) --------------------------------

def is_rules_admin(user: Any) -> bool:
    """The municipal administrator (or a superuser) maintains the enforcement rules."""
    return bool(user is not None and getattr(user, "is_active", False) and (
        user.is_superuser or getattr(user, "role", None) == Role.MUNICIPAL_ADMIN))


def _require_admin(actor: Any) -> None:
    if not is_rules_admin(actor):
        raise Forbidden("只有市局管理员可以维护裁量基准。",
                        "Only the municipal administrator maintains the discretion table.")


def ensure_editable(version: DiscretionVersion) -> None:
    """Refuse a change to a published or superseded version (its rows included)."""
    if version.status != V.DRAFT:
        raise VersionFrozen(
            f"裁量基准版本“{version.name}”已{version.get_status_display()}，不可修改；"
            "请从已发布版本新建草稿。",
            f"Discretion table version {version.pk} is {version.status} and immutable; "
            "create a new draft from it.")


def _copy_rows(source: DiscretionVersion, target: DiscretionVersion) -> None:
    """Copy the violations and their rows (two inserts per violation batch)."""
    originals = list(source.violations.order_by("order", "id").prefetch_related("benchmarks"))
    copies = ViolationType.objects.bulk_create([
        ViolationType(version=target, code=v.code, name=v.name, order=v.order,
                      breached_statute=v.breached_statute, breached_article=v.breached_article,
                      penalty_statute=v.penalty_statute, penalty_article=v.penalty_article,
                      penalty_clause=v.penalty_clause) for v in originals])
    skip = {"id", "violation"}
    fields = [f.name for f in DiscretionBenchmark._meta.concrete_fields if f.name not in skip]
    DiscretionBenchmark.objects.bulk_create([
        DiscretionBenchmark(violation=copy, **{name: getattr(row, name) for name in fields})
        for original, copy in zip(originals, copies, strict=True)
        for row in original.benchmarks.all()])


def new_draft_from(source: DiscretionVersion | None = None, *, actor: Any, name: str,
                   valid_from: datetime.date, version_source: str = "",
                   note: str = "") -> DiscretionVersion:
    """A draft copy of ``source`` (default: the version in force today) to edit and
    publish; the source stays as it is."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name or valid_from is None:
        message = "请填写新版本的名称和施行日期。"
        raise InvalidInput(message, "A new version needs a name and a valid_from date.",
                           fields={"name" if not name else "valid_from": [message]})
    with transaction.atomic():
        if source is None:
            source = version_in_force(timezone.localdate())
        elif source.status == V.DRAFT:
            raise InvalidInput("只能从已发布或已废止的版本新建草稿。",
                               "A draft is created from a published or superseded version.")
        draft = DiscretionVersion.objects.create(
            name=name, valid_from=valid_from, based_on=source,
            source=(version_source or source.source).strip(), note=note)
        _copy_rows(source, draft)
        record_event("grounds.discretion_version.drafted", actor=actor, obj=draft,
                     new={"discretion_version": draft.pk, "based_on": source.pk,
                          "valid_from": valid_from.isoformat()})
    return draft


def _lock_publications(valid_from: datetime.date) -> None:
    """Two publications for the same day take turns (the one-published-per-day index
    would otherwise turn the race into a 500)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)",
                       [PUBLISH_LOCK_PREFIX | valid_from.toordinal()])


def publish_version(version: DiscretionVersion | int, *, actor: Any,
                    reason: str = "") -> DiscretionVersion:
    """Publish a draft; a version published for the same ``valid_from`` is superseded
    by it (a correction). Versions from earlier days stay in force for their days."""
    _require_admin(actor)
    workflow = DISCRETION_VERSION_WORKFLOW
    with transaction.atomic():
        row = lock(workflow, version)
        if not workflow.allowed(row.status, V.PUBLISHED):
            raise workflow.illegal(row.status, V.PUBLISHED)
        if not DiscretionBenchmark.objects.filter(violation__version=row).exists():
            raise InvalidInput("该草稿没有任何裁量基准行，不能发布。",
                               "A version without benchmark rows cannot be published.")
        _lock_publications(row.valid_from)
        same_day = (DiscretionVersion.objects.select_for_update()
                    .filter(status=V.PUBLISHED, valid_from=row.valid_from).exclude(pk=row.pk))
        for old in same_day:
            transition(workflow, old, V.SUPERSEDED, actor=actor, locked=old,
                       reason=f"由版本{row.pk}（{row.name}）更正取代")
        return transition(workflow, row, V.PUBLISHED, actor=actor, locked=row, reason=reason,
                          changes=lambda r: {"published_at": timezone.now(),
                                             "published_by": actor})


def supersede_version(version: DiscretionVersion | int, *, actor: Any,
                      reason: str) -> DiscretionVersion:
    """Withdraw a published version (it is never applied again; decisions keep their
    snapshot). The previous published version, if any, governs its days again."""
    _require_admin(actor)
    if not (reason or "").strip():
        message = "废止裁量基准版本须说明理由。"
        raise InvalidInput(message, "Withdrawing a version needs a reason.",
                           fields={"reason": [message]})
    return transition(DISCRETION_VERSION_WORKFLOW, version, V.SUPERSEDED, actor=actor,
                      reason=reason.strip())
