"""Issued documents: rendering, numbering, prerequisites, immutability, corrections, 卷宗."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from pypdf import PdfReader

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.api.errors import DomainError, Forbidden
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.documents import data, services
from hangzhou_safety.documents.models import IssuedDocument
from hangzhou_safety.documents.numbering import serial_for
from hangzhou_safety.documents.render import harfbuzz_subsetting, html_to_pdf, render_pdf
from tests.documents.conftest import SAMPLE, decision_context


def text_of(pdf: bytes) -> str:
    """The PDF's text without whitespace (lines wrap anywhere in Chinese text)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def _issue(actor: Any, authority: Authority, subject: Any, code: str,
           **context: Any) -> IssuedDocument:
    allocation = serial_for(subject, authority, 2026, data.SERIES_CASE)
    return services.issue_document(
        actor=actor, authority=authority, type_code=code, subject=subject, year=2026,
        serial=allocation.serial, template_name=SAMPLE,
        context={**decision_context(), **context})


def test_harfbuzz_subsetting_is_loaded() -> None:
    # Without libharfbuzz-subset0 WeasyPrint embeds whole CJK fonts (> 10 s a page).
    assert harfbuzz_subsetting()


def test_a_decision_renders_with_its_text_extractable(reference_data: None) -> None:
    pdf = render_pdf(SAMPLE, {**decision_context(), "document": {
        "number": "（杭西）应急罚〔2026〕12号", "title": "行政处罚决定书",
        "authority_name": "杭州市西湖区应急管理局", "date": "2026-12-02",
        "rights_notice": "如不服本行政处罚决定书，可以依法申请行政复议。"}})
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in ("杭州示例化工有限公司", "（杭西）应急罚〔2026〕12号", "12345.60",
                     "人民币壹万贰仟叁佰肆拾伍元陆角整", "二〇二六年十二月二日", "行政复议"):
        assert expected in text, expected


def test_remote_resources_are_refused() -> None:
    from weasyprint.urls import FatalURLFetchingError

    for url in ("http://127.0.0.1:9/x.css", "file:///etc/passwd"):
        with pytest.raises(FatalURLFetchingError):
            html_to_pdf(f'<html><head><link rel="stylesheet" href="{url}"></head>'
                        "<body>x</body></html>")


def test_issue_numbers_freezes_and_audits(xihu_chief: Any, xihu: Authority,
                                          subject: Any) -> None:
    notice = _issue(xihu_chief, xihu, subject, "罚告")
    decision = _issue(xihu_chief, xihu, subject, "罚")
    assert notice.serial == decision.serial
    assert notice.number == f"（杭西）应急罚告〔2026〕{notice.serial}号"
    assert decision.number == f"（杭西）应急罚〔2026〕{decision.serial}号"
    assert decision.status == IssuedDocument.Status.ISSUED and decision.issued_by == xihu_chief
    pdf = bytes(decision.pdf)
    import hashlib

    assert decision.sha256 == hashlib.sha256(pdf).hexdigest()
    text = text_of(pdf)
    assert decision.number in text and "草稿" not in text and "行政复议" in text
    event = AuditEvent.objects.filter(action="document.issued",
                                      object_id=str(decision.pk)).get()
    assert event.new_values["sha256"] == decision.sha256
    assert event.new_values["number"] == decision.number
    # Issuing twice is a 409; the service never rewrites an issued row.
    with pytest.raises(DomainError) as exc:
        services.issue(decision, actor=xihu_chief)
    assert exc.value.code == "illegal_transition"


def test_the_database_refuses_changes_and_deletes_of_issued_rows(
        xihu_chief: Any, xihu: Authority, subject: Any) -> None:
    notice = _issue(xihu_chief, xihu, subject, "罚告")
    for change in ({"number": "（杭西）应急罚告〔2026〕999号"}, {"pdf": b"%PDF-forged"},
                   {"sha256": "0" * 64}, {"status": IssuedDocument.Status.DRAFT}):
        with pytest.raises(DatabaseError), transaction.atomic():
            IssuedDocument.objects.filter(pk=notice.pk).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedDocument.objects.filter(pk=notice.pk).delete()
    notice.refresh_from_db()
    assert notice.status == IssuedDocument.Status.ISSUED
    # Voiding is the one change allowed, and it keeps number and PDF.
    voided = services.void(notice, actor=xihu_chief, reason="送达前发现当事人名称有误")
    assert voided.status == IssuedDocument.Status.VOIDED
    assert voided.number == notice.number and bytes(voided.pdf) == bytes(notice.pdf)
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedDocument.objects.filter(pk=notice.pk).update(status="issued")


def test_a_draft_may_change_and_be_deleted(xihu_chief: Any, xihu: Authority,
                                           subject: Any) -> None:
    allocation = serial_for(subject, xihu, 2026, data.SERIES_CASE)
    draft = services.create_draft(actor=xihu_chief, authority=xihu, type_code="立",
                                  subject=subject, year=2026, serial=allocation.serial,
                                  template_name=SAMPLE, context=decision_context())
    assert "草稿" in text_of(bytes(draft.pdf))
    IssuedDocument.objects.filter(pk=draft.pk).update(title="立案审批表（修改）")
    IssuedDocument.objects.filter(pk=draft.pk).delete()
    assert not IssuedDocument.objects.filter(pk=draft.pk).exists()


def test_prerequisites_are_data(xihu_chief: Any, xihu: Authority, subject: Any) -> None:
    with pytest.raises(DomainError) as exc:
        _issue(xihu_chief, xihu, subject, "罚")
    assert exc.value.code == "document_prerequisite"
    assert "行政处罚告知书" in exc.value.detail
    assert not IssuedDocument.objects.filter(doc_type_id="罚").exists()
    with pytest.raises(DomainError):
        services.require_prior(subject, "罚")
    _issue(xihu_chief, xihu, subject, "罚告")
    services.require_prior(subject, "罚")  # now satisfied


def test_correction_names_the_corrected_and_voids_it(xihu_chief: Any, xihu: Authority,
                                                     subject: Any) -> None:
    notice = _issue(xihu_chief, xihu, subject, "罚告")
    corrected = services.correct(notice, actor=xihu_chief,
                                 context=decision_context(name="杭州示例化工股份有限公司"),
                                 reason="当事人名称笔误")
    notice.refresh_from_db()
    assert corrected.corrects_id == notice.pk
    assert notice.status == IssuedDocument.Status.VOIDED
    assert corrected.serial == notice.serial and corrected.sequence == 2
    assert corrected.number == f"（杭西）应急罚告〔2026〕{notice.serial}-2号"
    assert "杭州示例化工股份有限公司" in text_of(bytes(corrected.pdf))
    assert corrected.number in notice.void_reason
    with pytest.raises(DomainError):
        services.correct(notice, actor=xihu_chief, context=decision_context(), reason="x")


def test_only_issuers_of_the_authority(binjiang_inspector: Any, xihu: Authority,
                                       subject: Any, reference_data: None) -> None:
    from tests.conftest import make_user

    auditor = make_user("p_docs_auditor", "auditor", "EM-330106")
    for actor in (binjiang_inspector, auditor):
        with pytest.raises(Forbidden):
            _issue(actor, xihu, subject, "立")
    assert not IssuedDocument.objects.exists()


def test_a_gap_serial_carries_no_document(xihu_chief: Any, xihu: Authority,
                                          subject: Any, municipal_admin: Any) -> None:
    from hangzhou_safety.api.errors import InvalidInput
    from hangzhou_safety.documents.numbering import record_gap

    allocation = serial_for(subject, xihu, 2026, data.SERIES_CASE)
    record_gap(xihu, 2026, data.SERIES_CASE, allocation.serial, actor=municipal_admin,
               reason="误立，撤回")
    with pytest.raises(InvalidInput):
        services.issue_document(actor=xihu_chief, authority=xihu, type_code="立",
                                subject=subject, year=2026, serial=allocation.serial,
                                template_name=SAMPLE, context=decision_context())


def test_case_file_has_cover_index_documents_and_evidence(xihu_chief: Any, xihu: Authority,
                                                          subject: Any) -> None:
    filing = _issue(xihu_chief, xihu, subject, "立")
    notice = _issue(xihu_chief, xihu, subject, "罚告")
    decision = _issue(xihu_chief, xihu, subject, "罚", facts=["事实。" * 400])
    pdf = services.case_file(
        title="行政处罚案卷", authority=xihu, fields=[("案由", "未按规定培训"), ("当事人", "示例")],
        documents=[filing, notice, decision],
        evidence_rows=[{"name": "现场照片", "source": "现场检查", "sha256": "ab" * 32}])
    reader = PdfReader(io.BytesIO(pdf))
    parts = [bytes(d.pdf) for d in (filing, notice, decision)]
    doc_pages = sum(len(PdfReader(io.BytesIO(p)).pages) for p in parts)
    assert len(reader.pages) == 1 + 1 + doc_pages + 1
    titles = [item.title for item in reader.outline]
    assert titles[:2] == ["卷宗封面", "卷内目录"] and titles[-1] == "证据清单"
    assert any(decision.number in t for t in titles)
    index_text = "".join(reader.pages[1].extract_text().split())
    assert filing.number in index_text and decision.number in index_text
    assert "3" in index_text  # the first document starts on page 3
    assert "现场照片" in "".join(reader.pages[-1].extract_text().split())
