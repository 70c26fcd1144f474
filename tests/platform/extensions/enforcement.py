"""The generated checks' reach into enforcement (cases, decisions, case evidence,
discretion grounds, criminal transfers, accidents, disclosures) and the loop's numbered
documents: their path parameters, and a world with objects of both districts (an
investigating case with evidence and a reported criminal transfer, a decided case with
an issued decision and its disclosure, an accident received by the district, an
inspection with its on-site record)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from tests.platform.surface import Collection


def _inspection_documents(user: Any) -> QuerySet[Any]:
    from hangzhou_safety.documents.models import IssuedDocument
    from inspections.models import Inspection

    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Inspection),
        object_id__in=[str(pk) for pk in
                       Inspection.objects.visible_to(user).values_list("pk", flat=True)])


def _case_documents(user: Any) -> QuerySet[Any]:
    from enforcement.cases.models import Case
    from hangzhou_safety.documents.models import IssuedDocument

    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id__in=[str(pk) for pk in
                       Case.objects.visible_to(user).values_list("pk", flat=True)])


def _transfer_steps() -> tuple[str, ...]:
    from enforcement.transfers import views

    return tuple(views.STEPS_BY_NAME)


def _accident_steps() -> tuple[str, ...]:
    from enforcement.accidents import views

    return tuple(views.STEPS)


def _case_steps() -> tuple[str, ...]:
    from enforcement.cases import views

    return tuple(views.STEPS_BY_NAME)


def _disclosure_steps() -> tuple[str, ...]:
    from enforcement.disclosure import views

    return tuple(views.DISCLOSURE_STEPS)


def _decision_steps() -> tuple[str, ...]:
    from enforcement.cases import views

    return tuple(views.DECISION_STEPS)


COLLECTIONS = {
    ("cases", "id"): Collection("enforcement.Case"),
    ("cases", "pk"): Collection("enforcement.Case"),
    ("decisions", "id"): Collection("enforcement.PenaltyDecision", through="case"),
    ("decisions", "decision_id"): Collection("enforcement.PenaltyDecision",
                                             parent=("cases", "case")),
    ("evidence", "evidence_id"): Collection("enforcement.CaseEvidence",
                                            parent=("cases", "case")),
    ("records", "record_id"): Collection("enforcement.CaseStepRecord",
                                         parent=("cases", "case")),
    ("from-hazard", "hazard_id"): Collection("inspections.Hazard", through="inspection"),
    ("versions", "id"): Collection("enforcement.DiscretionVersion", scope="global"),
    ("documents", "doc_pk"): Collection("documents.IssuedDocument",
                                        parent=("inspections", "object_id"), generic=True,
                                        scope=_inspection_documents),
    ("planned", "pk"): Collection("inspections.PlannedInspection"),
    ("disclosures", "id"): Collection("enforcement.Disclosure"),
    ("disclosures", "pk"): Collection("enforcement.Disclosure"),
    ("documents", "document_id"): Collection("documents.IssuedDocument",
                                             parent=("cases", "object_id"), generic=True,
                                             scope=_case_documents),
    ("transfers", "id"): Collection("enforcement.CriminalTransfer", through="case"),
    ("transfers", "pk"): Collection("enforcement.CriminalTransfer", through="case"),
    ("accidents", "id"): Collection("enforcement.Accident"),
    ("accidents", "pk"): Collection("enforcement.Accident"),
}
#: Step slugs per page (the real step tables, so a new step is covered).
STEP_VALUES = {"case_step:step": _case_steps(), "decision_step:step": _decision_steps(),
               "transfer_step:step": _transfer_steps(),
               "accident_step:step": _accident_steps(),
               "disclosure_step:step": _disclosure_steps()}
PUBLIC_PAGES = {"healthz"}


def build_world(users: dict[str, Any]) -> None:
    from enforcement.cases.documents import issue_decision_document, issue_prior_notice
    from enforcement.cases.models import (
        Case,
        CaseEvidence,
        CaseStepRecord,
        DocumentType,
        EvidenceKind,
    )
    from enforcement.disclosure.services import create_for_decision
    from enterprises.models import Enterprise
    from hangzhou_safety.accounts.models import Authority, Role, User
    from inspections.evidence.documents import (
        ONSITE_RECORD,
        inspection_documents,
        issue_inspection_document,
    )
    from inspections.models import Inspection
    from tests.platform.drivers._cases import Staff, make_case
    from tests.platform.drivers._transfers import make_accident, make_transfer

    for district, prefix in (("330106", "xihu"), ("330108", "binjiang")):
        authority = Authority.objects.get(code=f"EM-{district}")
        inspector = users[f"{prefix}_inspector"]
        colleague = (User.objects.filter(authority=authority, role=Role.INSPECTOR,
                                         certificate_number__gt="")
                     .exclude(pk=inspector.pk).order_by("pk").first())
        assert colleague is not None, f"{district}: no second certified inspector"
        site = Enterprise.objects.filter(supervising_authority=authority).order_by("pk")[1]
        staff = Staff(authority, inspector, users[f"{prefix}_approver"],
                      users[f"{prefix}_chief"], [inspector, colleague], site)
        investigating = make_case(Case.Status.INVESTIGATING, staff=staff)
        CaseEvidence.objects.create(case=investigating, kind=EvidenceKind.PHYSICAL,
                                    description="先行登记保存的除尘器滤袋",
                                    collected_by=inspector)
        approver = users[f"{prefix}_approver"]
        # The head's approval record, whose 立案审批表 the case page issues.
        CaseStepRecord.objects.create(case=investigating, step="approve_filing", actor=approver,
                                      actor_name=approver.display_name, text="同意立案",
                                      document_type=DocumentType.FILING)
        # The queues' rows: a major case's report awaiting review and 法制审核 (待审批,
        # 法制审核), another past its review on the discussion agenda (集体讨论议程).
        make_case(Case.Status.REVIEW, major=True, staff=staff)
        make_case(Case.Status.LEGAL_REVIEW, major=True, staff=staff)
        decided = make_case(Case.Status.DECIDED, staff=staff)
        decision = decided.decisions.get()
        issue_prior_notice(decided, actor=inspector, party=decision.party)
        issue_decision_document(decision, actor=inspector)
        # A criminal transfer reported on the investigating case, and an accident of
        # the district's enterprise received by its bureau.
        make_transfer(case=investigating, staff=staff)
        make_accident(authority_code=f"EM-{district}", site=site, created_by=inspector)
        # The decision's disclosure (the case was built in the database, so the issuing
        # signal did not open it): one per district.
        create_for_decision(decision, actor=None)
        done = (Inspection.objects.filter(authority=authority, findings_done_at__isnull=False)
                .order_by("pk").first())
        assert done is not None, f"{district}: no inspection with its findings done"
        if not inspection_documents(done).exists():  # the demo may have issued it
            issue_inspection_document(done, actor=done.inspectors.order_by("pk").first(),
                                      type_code=ONSITE_RECORD)
