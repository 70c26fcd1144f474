"""The loop's documents as issued PDFs: 现场检查记录, 责令限期整改指令书, 整改复查意见书."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.documents.chinese import chinese_date
from hangzhou_safety.documents.models import IssuedDocument
from inspections.evidence.documents import issue_inspection_document
from inspections.loop import services as loop
from tests.platform.drivers import _inspections as build

pytestmark = pytest.mark.usefixtures(*build.PERSONAS)


def text_of(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def _with_order() -> tuple[Any, Any, Any]:
    inspection, hazard = build.rectifying_inspection()
    order = build.order(hazard, "deadline")
    return inspection, hazard, order


def test_onsite_record_and_order_are_numbered_pdfs(xihu_inspector: Any) -> None:
    inspection, hazard, order = _with_order()
    record = issue_inspection_document(inspection, actor=xihu_inspector, type_code="检记")
    order_doc = issue_inspection_document(inspection, actor=xihu_inspector, type_code="责改")
    assert record.serial == order_doc.serial  # one serial per inspection
    assert order_doc.number == f"（杭西）应急责改〔{order_doc.year}〕{order_doc.serial}号"
    record_text = text_of(bytes(record.pdf))
    assert inspection.enterprise.name in record_text and record.number in record_text
    order_text = text_of(bytes(order_doc.pdf))
    for expected in (inspection.enterprise.name, order_doc.number, "更换防爆电器", "张三",
                     chinese_date(order.due_date), "行政复议", "行政诉讼", "杭州市西湖区人民政府",
                     inspection.verification_code):
        assert expected in order_text, expected
    event = AuditEvent.objects.filter(action="document.issued",
                                      object_id=str(order_doc.pk)).get()
    assert event.new_values["sha256"] == order_doc.sha256
    with pytest.raises(DomainError) as exc:
        issue_inspection_document(inspection, actor=xihu_inspector, type_code="责改")
    assert exc.value.code == "document_exists"


def test_documents_wait_for_their_facts(xihu_inspector: Any) -> None:
    inspection = build.new_inspection()
    with pytest.raises(DomainError) as exc:
        issue_inspection_document(inspection, actor=xihu_inspector, type_code="检记")
    assert exc.value.code == "document_not_ready"
    inspection, hazard = build.rectifying_inspection()
    with pytest.raises(DomainError) as exc:
        issue_inspection_document(inspection, actor=xihu_inspector, type_code="责改")
    assert exc.value.code == "document_not_ready"  # no order given yet
    build.order(hazard, "deadline")
    loop.record_recheck(hazard, actor=xihu_inspector, passed=True, note="已整改")
    with pytest.raises(DomainError) as exc:
        issue_inspection_document(inspection, actor=xihu_inspector, type_code="复查")
    assert exc.value.code == "document_prerequisite"  # 复查 needs the order document
    assert not IssuedDocument.objects.filter(object_id=str(inspection.pk)).exists()


def test_recheck_opinion_after_the_order(xihu_inspector: Any) -> None:
    inspection, hazard, _order = _with_order()
    order_doc = issue_inspection_document(inspection, actor=xihu_inspector, type_code="责改")
    loop.record_recheck(hazard, actor=xihu_inspector, passed=True, note="防爆电器已更换")
    opinion = issue_inspection_document(inspection, actor=xihu_inspector, type_code="复查")
    text = text_of(bytes(opinion.pdf))
    assert opinion.serial == order_doc.serial
    for expected in (inspection.enterprise.name, opinion.number, order_doc.number,
                     "复查合格", "防爆电器已更换"):
        assert expected in text, expected
    with pytest.raises(DomainError):  # no further re-check: nothing new to say
        issue_inspection_document(inspection, actor=xihu_inspector, type_code="复查")


def test_only_the_team_and_its_authority(binjiang_inspector: Any,
                                         xihu_approver: Any) -> None:
    from hangzhou_safety.api.errors import Forbidden

    inspection, _hazard, _order = _with_order()
    with pytest.raises(Forbidden):
        issue_inspection_document(inspection, actor=binjiang_inspector, type_code="检记")
    # The district approver may issue (not on the team, but heads the authority).
    assert issue_inspection_document(inspection, actor=xihu_approver, type_code="检记")


def test_api_issue_list_and_download(api_as: Any, xihu_inspector: Any,
                                     binjiang_inspector: Any) -> None:
    inspection, _hazard, order = _with_order()
    base = f"/api/v1/inspections/{inspection.pk}/documents/"
    client = api_as(xihu_inspector)
    bad = client.post(base, {"type": "罚"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    created = client.post(base, {"type": "责改"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("（杭西）应急责改") and body["status"] == "issued"
    again = client.post(base, {"type": "责改"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "document_exists"
    listed = client.get(base).json()
    assert [row["number"] for row in listed] == [body["number"]]
    pdf = client.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert pdf["X-Document-SHA256"] == body["sha256"]
    assert chinese_date(order.due_date) in text_of(content)
    outsider = api_as(binjiang_inspector)
    assert outsider.get(base).status_code == 404
    assert outsider.get(body["pdf_url"]).status_code == 404
    assert outsider.post(base, {"type": "检记"}, format="json").status_code == 404


def test_pages_link_issue_and_download(web_as: Any, xihu_inspector: Any) -> None:
    inspection, _hazard, _order = _with_order()
    client = web_as(xihu_inspector)
    detail = client.get(f"/inspections/{inspection.pk}/")
    assert f"/inspections/{inspection.pk}/documents/" in detail.content.decode()
    page = client.get(f"/inspections/{inspection.pk}/documents/")
    assert page.status_code == 200 and "签发现场检查记录" in page.content.decode()
    issued = client.post(f"/inspections/{inspection.pk}/documents/issue/", {"type": "检记"})
    assert issued.status_code == 302
    doc = IssuedDocument.objects.get(object_id=str(inspection.pk), doc_type_id="检记")
    listing = client.get(f"/inspections/{inspection.pk}/documents/").content.decode()
    assert doc.number in listing
    download = client.get(f"/inspections/{inspection.pk}/documents/{doc.pk}/pdf/")
    assert download.status_code == 200 and download.content == bytes(doc.pdf)
    refused = client.post(f"/inspections/{inspection.pk}/documents/issue/", {"type": "检记"})
    assert refused.status_code == 409 and "已签发" in refused.content.decode()


def test_case_file_of_an_inspection(api_as: Any, web_as: Any, xihu_inspector: Any,
                                    binjiang_inspector: Any) -> None:
    inspection, hazard, _order = _with_order()
    base = f"/api/v1/inspections/{inspection.pk}/documents/"
    client = api_as(xihu_inspector)
    assert client.get(base + "case-file/").status_code == 409  # nothing issued yet
    record = issue_inspection_document(inspection, actor=xihu_inspector, type_code="检记")
    order_doc = issue_inspection_document(inspection, actor=xihu_inspector, type_code="责改")
    response = client.get(base + "case-file/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    titles = [item.title for item in reader.outline]
    assert titles[0] == "卷宗封面" and titles[-1] == "证据清单"
    assert titles[2].startswith(record.number) and titles[3].startswith(order_doc.number)
    cover = "".join(reader.pages[0].extract_text().split())
    assert inspection.enterprise.name in cover
    assert api_as(binjiang_inspector).get(base + "case-file/").status_code == 404
    page = web_as(xihu_inspector).get(f"/inspections/{inspection.pk}/documents/case-file/")
    assert page.status_code == 200 and page.content.startswith(b"%PDF-")
