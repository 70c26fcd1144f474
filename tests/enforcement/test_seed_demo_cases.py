"""seed_demo leaves 西湖区 and 滨江区 a case in every stage, walked through the real
steps: their step records, clocks and numbered documents exist, the roles are kept
apart, and a second run adds nothing."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from enforcement.cases.models import Case, PenaltyDecision
from hangzhou_safety.accounts.models import User
from hangzhou_safety.documents.models import IssuedDocument
from hangzhou_safety.workdays.models import Deadline
from inspections.models import Hazard

pytestmark = pytest.mark.django_db
S = Case.Status
DS = PenaltyDecision.Status
GENERAL = {S.PENDING, S.FILED, S.INVESTIGATING, S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE,
           S.NOTIFIED, S.HEARING, S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED,
           S.DECLINED, S.NO_PENALTY, S.TERMINATED, S.REVOKED}
NOTIFIED_ON = {S.NOTIFIED, S.HEARING, S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED, S.REVOKED}
DECIDED_ON = {S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED, S.REVOKED}


def _docs(case: Case, code: str) -> list[IssuedDocument]:
    return list(IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk),
        doc_type_id=code, status=IssuedDocument.Status.ISSUED))


def _steps(case: Case) -> list[str]:
    return list(case.steps.order_by("at", "pk").values_list("step", flat=True))


def _clock(pk: int | None) -> Deadline:
    assert pk is not None
    return Deadline.objects.get(pk=pk)


def test_every_stage_of_both_districts_with_its_documents(reference_data, settings,
                                                          client) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo", verbosity=0)
    for code, prefix in (("EM-330106", "（杭西）"), ("EM-330108", "（杭滨）")):
        cases = {c.status: c for c in Case.objects.filter(
            authority__code=code, procedure=Case.Procedure.GENERAL)}
        assert set(cases) == GENERAL, code
        assert Case.objects.filter(authority__code=code, procedure=Case.Procedure.GENERAL
                                   ).count() == len(GENERAL)
        summary = Case.objects.get(authority__code=code, procedure=Case.Procedure.SUMMARY)
        assert summary.status == S.SERVED
        assert summary.decisions.get().service_method == "on_spot"

        # Two certified officers; the head and the legal reviewer are neither.
        for case in Case.objects.filter(authority__code=code):
            officers = set(case.officers.values_list("pk", flat=True))
            assert len(officers) == 2
            assert case.filing_approved_by_id not in officers
            assert case.legal_reviewer_id not in officers
            assert not case.evidence.filter(collected_by_id=case.legal_reviewer_id).exists() \
                or case.legal_reviewer_id is None

        # The pending case comes from the escalated hidden danger, its filing submitted.
        pending = cases[S.PENDING]
        assert pending.source == Case.Source.HAZARD and pending.filing_submitted_at
        assert Hazard.objects.get(pk=pending.hazard_id).status == Hazard.Status.ESCALATED
        assert _steps(pending) == ["opened", "file_case"]

        # Documents: the notice from the notice on, the decision from the decision on,
        # numbered on the case's one serial.
        for status, case in cases.items():
            notices, decisions = _docs(case, "罚告"), _docs(case, "罚")
            assert len(notices) == (status in NOTIFIED_ON), (code, status)
            assert len(decisions) == (status in DECIDED_ON), (code, status)
            for doc in notices + decisions:
                assert doc.number.startswith(prefix)
            if status in DECIDED_ON:
                decision = case.decisions.get()
                assert decisions[0].context["decision_id"] == decision.pk
                assert decisions[0].number.replace("罚〔", "罚告〔") == notices[0].number
                assert decisions[0].pdf and decisions[0].sha256

        # Clocks and step records as the steps leave them.
        hearing = cases[S.HEARING]
        assert hearing.hearing_at and hearing.hearing_presider_id not in set(
            hearing.officers.values_list("pk", flat=True))
        assert _clock(hearing.decision_clock_id).status == Deadline.Status.PAUSED
        decided = cases[S.DECIDED]
        assert _clock(decided.decision_clock_id).status == Deadline.Status.MET
        assert decided.decisions.get().status == DS.ISSUED
        assert _clock(decided.decisions.get().service_clock_id).status == \
            Deadline.Status.RUNNING
        served = cases[S.SERVED].decisions.get()
        assert served.status == DS.SERVED and served.payment_due
        assert _clock(served.payment_clock_id).status == Deadline.Status.RUNNING
        assert cases[S.EXECUTING].decisions.get().status == DS.DEFERRED
        closed = cases[S.CLOSED]
        assert closed.is_major and closed.closed_at
        assert closed.decisions.get().status == DS.PAID
        assert _steps(closed) == [
            "opened", "file_case", "approve_filing", "start_investigation",
            "register_evidence", "register_evidence", "register_evidence",
            "submit_investigation_report", "legal_review", "record_collective_discussion",
            "notify_party", "record_statement", "issue_decision", "record_service",
            "record_payment", "close_case"]
        assert cases[S.REVOKED].decisions.get().status == DS.REVOKED
        for status in (S.DECLINED, S.NO_PENALTY, S.TERMINATED):
            ended = cases[status]
            assert ended.outcome_reason and ended.closed_at
            assert not Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(Case),
                object_id=str(ended.pk), status=Deadline.Status.RUNNING).exists()

    # Every demo case's page opens for its district's inspector; the closed case's
    # 卷宗 downloads.
    for code, username in (("EM-330106", "xihu_inspector"),
                           ("EM-330108", "binjiang_inspector")):
        client.force_login(User.objects.get(username=username))
        for case in Case.objects.filter(authority__code=code):
            page = client.get(reverse("enforcement:case_detail", args=[case.pk]))
            assert page.status_code == 200 and case.title in page.content.decode()
        closed = Case.objects.get(authority__code=code, status=S.CLOSED)
        whole = client.get(reverse("enforcement:case_file", args=[closed.pk]))
        assert whole.status_code == 200 and whole.content.startswith(b"%PDF")

    # Idempotent: a second run adds no case and no document.
    counts = (Case.objects.count(), IssuedDocument.objects.count(),
              PenaltyDecision.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Case.objects.count(), IssuedDocument.objects.count(),
            PenaltyDecision.objects.count()) == counts
