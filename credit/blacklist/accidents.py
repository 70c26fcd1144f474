"""The accident grounds of 令11号 checked against the accident records, and the automatic
proposal of ground （二） (12个月内累计发生2起以上较大生产安全事故).

Texts (docs/laws/ 令11号 excerpt, 列入情形 发生事故; DOMAIN.md B6):
- （一）"发生特别重大、重大生产安全事故的生产经营单位及其主要负责人，以及经调查认定对该事故
  发生负有责任，应当列入名单的其他单位和人员": met when a 重大 or 特别重大 accident happened at
  the enterprise, or its investigation's findings name the enterprise responsible.
- （二）"12个月内累计发生2起以上较大生产安全事故的生产经营单位及其主要负责人": met when the
  investigations of two 较大 accidents within 12 months found the enterprise responsible
  (the findings are what the system knows of an investigation's conclusion; a 较大
  accident is investigated here, by the city).
- （四）"瞒报、谎报生产安全事故的生产经营单位": an accident of the enterprise flagged 瞒报 or 谎报
  (Accident.concealed / false_report, 条例第三十六条).
- （五）"发生生产安全事故后，不立即组织抢救……的主要负责人": the failure itself is the
  proposer's statement; the records must at least hold an accident of the enterprise.

第三条 makes 严重失信 follow an administrative penalty and 第四条 gives the list to the
authority that punished (谁处罚、谁决定): a detected ground （二） becomes a proposal only
once a penalty decision of a finding's case has taken effect, and it belongs to that
decision's authority, whose head takes it on through the usual steps (notice, objection,
decision) or withdraws it. The detection runs when findings are recorded, when an
accident case's decision takes effect, and daily (credit.tasks); the same facts never
propose twice (BlacklistEntry.detection_key, unique).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from enforcement.accidents.selectors import (
    ResponsibleAccident,
    accidents_of_enterprise,
    responsible_accident_rows,
    responsible_accidents,
)
from enforcement.cases.models import PartyRole, PenaltyDecision
from enterprises.models import Enterprise
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.audit.services import EventSpec, record_events
from hangzhou_safety.workdays.arithmetic import local_date

from . import rules
from .models import BlacklistEntry

B = BlacklistEntry.Status
REPEAT = "accidents_2_in_12m"
#: The ground checks this module answers (rules.Ground.check).
CHECKS = ("accident_major", REPEAT, "accident_concealed", "accident_any")
#: Decisions that have not taken effect, or no longer stand, carry no proposal.
NOT_FINAL = (PenaltyDecision.Status.ISSUED, PenaltyDecision.Status.REVOKED)
#: An entry still under way or in force: no second proposal on the same ground.
OPEN = (B.PROPOSED, B.NOTIFIED, B.OBJECTION, B.DECIDED, B.PUBLISHED, B.REMOVAL_REQUESTED)


def check_accident_ground(code: str, enterprise: Enterprise) -> None:
    """Raise InvalidInput when the accident records do not show ground ``code``."""
    if code == "accident_major":
        if not accidents_of_enterprise(enterprise, rules.MAJOR_ACCIDENT_GRADES).exists():
            raise InvalidInput(
                "事故记录中没有该单位发生或经调查认定负有责任的特别重大、重大生产安全事故。",
                "No especially major or major accident happened at the enterprise or was "
                "found its responsibility.", fields={"ground": ["事故记录不符。"]})
    elif code == REPEAT:
        moments = [local_date(a.occurred_at) for a in responsible_accidents(
            enterprise, rules.REPEAT_ACCIDENT_GRADES).only("occurred_at")]
        if rules.repeat_window(moments) is None:
            raise InvalidInput(
                "事故记录中没有该单位12个月内经调查认定负有责任的2起以上较大生产安全事故。",
                "The records show no two larger accidents within 12 months found the "
                "enterprise's responsibility.", fields={"ground": ["事故记录不符。"]})
    elif code == "accident_concealed":
        if not accidents_of_enterprise(enterprise, rules.ALL_ACCIDENT_GRADES).filter(
                Q(concealed=True) | Q(false_report=True)).exists():
            raise InvalidInput("事故记录中没有该单位被认定瞒报、谎报的生产安全事故。",
                               "No accident of the enterprise is flagged concealed or "
                               "falsely reported.", fields={"ground": ["事故记录不符。"]})
    elif code == "accident_any" and not accidents_of_enterprise(
            enterprise, rules.ALL_ACCIDENT_GRADES).exists():
        raise InvalidInput("事故记录中没有该单位的生产安全事故。",
                           "No accident of the enterprise is on record.",
                           fields={"ground": ["事故记录不符。"]})


def _windows(rows: list[ResponsibleAccident]) -> dict[int, list[ResponsibleAccident]]:
    """Per enterprise, the latest qualifying run of accidents (one finding each)."""
    per: dict[int, dict[int, ResponsibleAccident]] = defaultdict(dict)
    for row in rows:
        per[row.enterprise_id].setdefault(row.accident_id, row)
    out: dict[int, list[ResponsibleAccident]] = {}
    for enterprise_id, by_accident in per.items():
        accidents = list(by_accident.values())
        span = rules.repeat_window([local_date(a.occurred_at) for a in accidents])
        if span is not None:
            out[enterprise_id] = accidents[span[0]:span[1] + 1]
    return out


def _key(enterprise_id: int, run: list[ResponsibleAccident]) -> str:
    return f"{REPEAT}:{enterprise_id}:" + "-".join(str(a.accident_id) for a in run)


def _decisions(case_ids: set[int]) -> dict[int, PenaltyDecision]:
    """Per case, its unit's latest decision in effect (one query)."""
    out: dict[int, PenaltyDecision] = {}
    for decision in (PenaltyDecision.objects.filter(case_id__in=case_ids,
                                                    party__role=PartyRole.UNIT)
                     .exclude(status__in=NOT_FINAL)
                     .select_related("case__authority").order_by("issued_at", "pk")):
        out[decision.case_id] = decision
    return out


def _reasons(enterprise: Enterprise, run: list[ResponsibleAccident]) -> str:
    days = "、".join(f"{local_date(a.occurred_at):%Y年%m月%d日}" for a in run)
    return (f"系统自动识别：经事故调查认定，{enterprise.name}对{days}发生的{len(run)}起较大"
            "生产安全事故负有责任，12个月内累计发生2起以上较大生产安全事故"
            "（令11号 列入情形 发生事故（二））。")


@transaction.atomic
def propose_repeat_accidents(*, today: datetime.date | None = None,
                             enterprise_ids: list[int] | None = None) -> list[BlacklistEntry]:
    """Detect ground （二） for all enterprises (or ``enterprise_ids``) and propose each new
    one to the authority that punished. A fixed number of reads whatever the number of
    enterprises; one insert per new proposal, all in one transaction with their audit
    events. Idempotent, also when two runs race (the unique detection key)."""
    day = today or local_date(timezone.now())
    since = timezone.make_aware(datetime.datetime.combine(
        rules.add_months(day, -rules.DETECTION_LOOKBACK_MONTHS), datetime.time.min))
    runs = _windows(responsible_accident_rows(rules.REPEAT_ACCIDENT_GRADES, since=since,
                                              enterprise_ids=enterprise_ids))
    if not runs:
        return []
    keys = {pk: _key(pk, run) for pk, run in runs.items()}
    taken = set(BlacklistEntry.objects.filter(detection_key__in=keys.values())
                .values_list("detection_key", flat=True))
    busy = set(BlacklistEntry.objects.filter(enterprise_id__in=runs, ground=REPEAT,
                                             status__in=OPEN)
               .values_list("enterprise_id", flat=True))
    todo = {pk: run for pk, run in runs.items() if keys[pk] not in taken and pk not in busy}
    decisions = _decisions({a.case_id for run in todo.values() for a in run
                            if a.case_id is not None})
    enterprises = Enterprise.objects.in_bulk(list(todo))
    made: list[BlacklistEntry] = []
    for pk, run in sorted(todo.items()):
        enterprise = enterprises.get(pk)
        found = [decisions[a.case_id] for a in run if a.case_id in decisions]
        if enterprise is None or not found or not rules.in_scope(enterprise.sector,
                                                                 enterprise.industry_id):
            continue  # no decision in effect yet (the next run sees it), or out of scope
        decision = max(found, key=lambda d: (d.issued_at, d.pk))
        principals = [n for a in run for n in a.principals if n]
        try:
            with transaction.atomic():
                made.append(BlacklistEntry.objects.create(
                    authority=decision.case.authority, enterprise=enterprise,
                    decision=decision, ground=REPEAT, reasons=_reasons(enterprise, run),
                    principal_name=(principals[-1] if principals else "")[:64],
                    proposed_by=None, detection_key=keys[pk]))
        except IntegrityError:
            continue  # a concurrent run proposed it first
    record_events([EventSpec(action="blacklist.proposed", obj=e.enterprise,
                             new={"blacklist": e.pk, "ground": REPEAT, "detected": True,
                                  "accidents": e.detection_key.rsplit(":", 1)[-1]})
                   for e in made])
    return made


def on_findings(enterprise_ids: list[int], identifiers: list[str]) -> list[BlacklistEntry]:
    """Right after an investigation's findings are recorded: the enterprises they name."""
    ids = set(enterprise_ids)
    codes = [c for c in identifiers if c]
    if codes:
        ids |= set(Enterprise.objects.filter(uscc__in=codes).values_list("pk", flat=True))
    return propose_repeat_accidents(enterprise_ids=sorted(ids)) if ids else []
