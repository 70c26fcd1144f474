"""Enforcement cases: one service per named step of the penalty procedure.

The steps live in ``steps/``, one module per stage (filing, investigation, review,
notice and hearing, decision and service, execution, other endings, the summary
procedure); this module is the one entry point callers import.

Every step runs in a transaction, locks the case row (then a decision row, always in
that order), and moves statuses only through ``hangzhou_safety.workflow.transition``
(CASE_WORKFLOW / DECISION_WORKFLOW, audited as ``case.<status>`` /
``decision.<status>``). The table check comes first, so an illegal move is a 409
before anything else is looked at; the step's own checks run as the guard on the
locked row: role (403), jurisdiction (403 here, 404 through ``visible_to`` in the
API and pages), separation of duties (the legal reviewer, the hearing presider and
the approver of a decision are not case officers), and business preconditions. Each
step appends a ``CaseStepRecord`` naming the document type it produces. Clocks come
from the clock rule table (``start_clock``), with the case as their subject.

Moves and the one service that makes each:

- pending → filed ``approve_filing``; → declined ``decline_case``; → served
  ``summary_procedure_decision`` (当场处罚, its own short path).
- filed → investigating ``start_investigation``; investigating → review
  ``submit_investigation_report``; review → investigating ``return_for_investigation``
  or ``legal_review`` (not passed).
- review → legal_review ``legal_review`` (passed); legal_review → collective
  ``record_collective_discussion``; review / legal_review / collective → notified
  ``notify_party``; notified → hearing ``request_hearing``. In hearing, no move:
  ``schedule_hearing``, ``record_hearing``, then ``legal_review_after_hearing`` (Art.
  58: mandatory) and, for a major case, ``discussion_after_hearing``.
- notified / hearing → decided ``issue_decision``; decided → served (all decisions
  served) ``record_service``; served → executing ``start_execution`` (also taken by
  the first payment, deferral, overdue flag or demand); served / executing → closed
  ``close_case``.
- → no_penalty ``no_penalty``; → terminated ``terminate``; → revoked ``revoke``.
- decision issued → served ``record_service``; served / deferred / overdue / demanded →
  paid ``record_payment``; served → deferred ``approve_deferral``; served / deferred →
  overdue ``flag_overdue``; overdue → demanded ``send_payment_demand``; demanded →
  court ``apply_to_court``; court → enforced ``record_court_enforcement``; → revoked
  ``revoke`` (the case's decisions with it); a final decision (served and after) →
  revoked ``approve_decision_change`` (撤销 / 确认无效 by reconsideration, litigation or
  the authority's own correction, recorded by ``record_decision_change``; a change of
  content keeps the status, ``reject_decision_change`` refuses a recorded change).
"""

from .steps.changes import (
    approve_decision_change,
    record_decision_change,
    reject_decision_change,
)
from .steps.common import (
    CHIEF_ROLES,
    HEAD_ROLES,
    LEGAL_ROLES,
    MIN_DISCUSSION_PARTICIPANTS,
    MIN_OFFICERS,
    OFFICER_ROLES,
)
from .steps.decision import (
    issue_decision,
    record_service,
)
from .steps.endings import (
    no_penalty,
    revoke,
    terminate,
)
from .steps.execution import (
    amount_due,
    apply_to_court,
    approve_deferral,
    close_case,
    decision_settled,
    flag_overdue,
    record_court_enforcement,
    record_payment,
    send_payment_demand,
    start_execution,
)
from .steps.filing import (
    approve_filing,
    decline_case,
    file_case,
    open_case,
    open_case_from_hazard,
)
from .steps.investigation import (
    decide_preserved_evidence,
    register_evidence,
    return_for_investigation,
    start_investigation,
    submit_investigation_report,
)
from .steps.notice import (
    extend_decision_period,
    hearing_right,
    notify_party,
    record_hearing,
    record_statement,
    request_hearing,
    schedule_hearing,
)
from .steps.review import (
    discussion_after_hearing,
    legal_review,
    legal_review_after_hearing,
    record_collective_discussion,
)
from .steps.summary import (
    summary_procedure_decision,
)

__all__ = [
    "CHIEF_ROLES",
    "HEAD_ROLES",
    "LEGAL_ROLES",
    "MIN_DISCUSSION_PARTICIPANTS",
    "MIN_OFFICERS",
    "OFFICER_ROLES",
    "amount_due",
    "apply_to_court",
    "approve_decision_change",
    "approve_deferral",
    "approve_filing",
    "close_case",
    "decide_preserved_evidence",
    "decision_settled",
    "decline_case",
    "discussion_after_hearing",
    "extend_decision_period",
    "file_case",
    "flag_overdue",
    "hearing_right",
    "issue_decision",
    "legal_review",
    "legal_review_after_hearing",
    "no_penalty",
    "notify_party",
    "open_case",
    "open_case_from_hazard",
    "record_collective_discussion",
    "record_court_enforcement",
    "record_decision_change",
    "record_hearing",
    "record_payment",
    "record_service",
    "record_statement",
    "register_evidence",
    "reject_decision_change",
    "request_hearing",
    "return_for_investigation",
    "revoke",
    "schedule_hearing",
    "send_payment_demand",
    "start_execution",
    "start_investigation",
    "submit_investigation_report",
    "summary_procedure_decision",
    "terminate",
]
