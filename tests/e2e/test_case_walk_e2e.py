"""A case walked on a phone from an escalated hidden danger to closing, each step
through its page by the person the law gives it to: the inspector opens the case
from the case list with a colleague as the second officer and submits the filing
form, the head approves the filing, the officers investigate and report, the legal
reviewer (a qualified chief who did not investigate) reviews, the officers notify the
party and issue the 行政处罚告知书, the party waives the statement, the head decides,
the officers issue the 行政处罚决定书 (its PDF names the party, its number and the fine
in figures and in capitals), serve it and record the payment, and the head closes
the case; the 卷宗 downloads as one PDF with its index. A screenshot per stage."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from enforcement.cases.models import Case, PenaltyDecision
from enterprises.models import Sector
from hangzhou_safety.accounts.models import Role
from hangzhou_safety.documents.models import IssuedDocument
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import Hazard, Inspection
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FINE = "30000"
S = Case.Status


def _login(page: Any, base: str, username: str, path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _saved(page: Any) -> None:
    """The step went through: the page says so, and shows no refusal."""
    expect(page.locator(".alert-danger")).to_have_count(0)
    expect(page.locator("[data-testid=message]")).to_have_count(1)


def _step(page: Any, name: str, fill: Any = None) -> None:
    """Open the step's form under 下一步, fill it, submit it."""
    form = page.locator(f"[data-testid=step-{name}]")
    form.locator("summary").click()
    if fill is not None:
        fill(form)
    with page.expect_navigation():
        form.locator(f"[data-testid=submit-{name}]").click()
    _saved(page)


def _decision_step(page: Any, name: str, fill: Any = None) -> None:
    card = page.locator("[data-testid=decision-card]")
    if fill is not None:
        fill(card)
    with page.expect_navigation():
        card.locator(f"[data-testid=decision-{name}]").click()
    _saved(page)


def _status(page: Any, label: str) -> None:
    expect(page.locator("[data-testid=case-status]")).to_have_text(label)


def _download(page: Any, selector: str, to: Path) -> bytes:
    with page.expect_download() as caught:
        page.click(selector)
    download = caught.value
    download.save_as(to)
    data = to.read_bytes()
    assert data.startswith(b"%PDF"), selector
    return data


def _text(pdf: bytes) -> str:
    """The PDF's text without whitespace (CJK lines break anywhere)."""
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _escalated_hazard(inspector: Any, second: Any) -> Hazard:
    """An inspection by two certified officers finds a hidden danger, orders it put
    right, and the re-check fails: the loop escalates it (建议立案)."""
    load_checklist_templates()
    site = enterprise("杭州西湖精工机械有限公司", 941, sector=Sector.MACHINERY)
    inspection = loop.create_inspection(actor=inspector, enterprise=site,
                                        inspectors=[inspector, second],
                                        source=Inspection.Source.AD_HOC)
    loop.start_inspection(inspection, actor=inspector)
    items = list(inspection.items.order_by("order"))
    failing = next(i for i in items if not i.checklist_item.major_hazard_criterion)
    for item in items:
        loop.record_answer(inspection, item.pk, actor=inspector,
                           result="non_compliant" if item == failing else "compliant",
                           note="未对新入职员工进行安全生产教育和培训" if item == failing else "")
    loop.complete_findings(inspection, actor=inspector)
    hazard = Hazard.objects.get(item=failing)
    loop.issue_order(hazard, actor=inspector, kind="deadline", deadline_days=15,
                     responsible_person="王厂长", measures="组织全员安全培训并建立培训档案")
    return loop.record_recheck(hazard, actor=second, passed=False,
                               note="逾期复查，仍未开展培训，建议立案查处")


def test_a_case_walks_from_an_escalated_hidden_danger_to_closing_on_a_phone(
        live_server, phone_page, screenshot, tmp_path, xihu_inspector, xihu_chief,
        xihu_approver, reference_data, calendar_data, clock_rules, threshold_data) -> None:
    second = make_user("p_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="P330106003",
                       full_name="西湖执法员二", professionally_qualified=True)
    hazard = _escalated_hazard(xihu_inspector, second)
    site = hazard.inspection.enterprise
    base, page = live_server.url, phone_page

    # The inspector opens the case from the list, with the colleague as second officer.
    _login(page, base, "p_xihu_inspector", "/cases/")
    offer = page.locator("[data-testid=escalated-hazards]")
    expect(offer).to_contain_text(site.name)
    offer.locator("select[name=officer]").select_option(label="西湖执法员二")
    _fits(page)
    screenshot(page, "01-escalated-hidden-danger")
    with page.expect_navigation():
        offer.locator("[data-testid=open-case]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(hazard=hazard)
    detail = f"/cases/{case.pk}/"
    _status(page, "待立案")
    expect(page.locator("[data-testid=evidence-list]")).to_contain_text("复查记录")
    expect(page.locator("[data-testid=step-approve_filing]")).to_have_count(0)  # not yet
    _step(page, "file", lambda f: f.locator("textarea[name=text]").fill(
        "隐患逾期未整改，涉嫌违反安全生产法第一百零二条，建议立案。"))
    _fits(page)
    screenshot(page, "02-pending-filing-submitted")

    # The head approves the filing: the 90-day decision clock starts.
    _login(page, base, "p_xihu_approver", detail)
    expect(page.locator("[data-testid=step-file]")).to_have_count(0)  # submitted once
    _step(page, "approve_filing")
    _status(page, "已立案")
    expect(page.locator("[data-testid=clock-list]")).to_contain_text("作出行政处罚决定期限")
    _fits(page)
    screenshot(page, "03-filed")

    # The officers investigate: evidence, then the investigation report.
    _login(page, base, "p_xihu_inspector", detail)
    _step(page, "start_investigation")
    _status(page, "调查取证")

    def evidence(form: Any) -> None:
        form.locator("select[name=kind]").select_option("documentary")
        form.locator("textarea[name=description]").fill("安全生产教育培训档案（空白）复印件")

    _step(page, "evidence", evidence)
    expect(page.locator("[data-testid=evidence-list]")).to_contain_text("培训档案")
    _fits(page)
    screenshot(page, "04-investigating")

    def report(form: Any) -> None:
        form.locator("textarea[name=report]").fill(
            "经调查，当事人未按照规定对从业人员进行安全生产教育和培训，逾期未整改，事实清楚。")
        form.locator("textarea[name=proposed_handling]").fill("建议罚款人民币叁万元。")

    _step(page, "report", report)
    _status(page, "案件审理")
    _fits(page)
    screenshot(page, "05-review")

    # The legal reviewer: a qualified chief who is not a case officer.
    _login(page, base, "p_xihu_chief", detail)

    def review(form: Any) -> None:
        form.locator("input[name=passed]").check()
        form.locator("textarea[name=opinion]").fill("事实清楚，证据确凿，程序合法，同意。")

    _step(page, "legal_review", review)
    _status(page, "法制审核")
    _fits(page)
    screenshot(page, "06-legal-review")

    # The officers notify the party and issue the 行政处罚告知书.
    _login(page, base, "p_xihu_inspector", detail)
    party = case.parties.get()

    def notify(form: Any) -> None:
        form.locator(f"input[name=kinds_{party.pk}][value=fine]").check()
        form.locator(f"input[name=fine_{party.pk}]").fill(FINE)

    _step(page, "notify", notify)
    _status(page, "告知")
    expect(page.locator("[data-testid=clock-list]")).to_contain_text("陈述申辩")
    _step(page, "issue_notices")
    notice = _download(page, "[data-testid=document-罚告]", tmp_path / "notice.pdf")
    notice_row = IssuedDocument.objects.get(doc_type_id="罚告", object_id=str(case.pk))
    assert site.name in _text(notice) and "".join(notice_row.number.split()) in _text(notice)
    _fits(page)
    screenshot(page, "07-notified")

    # The party waives the statement and the hearing (陈述申辩笔录).
    _step(page, "statement", lambda f: f.locator("input[name=waived]").check())
    expect(page.locator("[data-testid=timeline]")).to_contain_text("当事人明确放弃陈述申辩")
    _fits(page)
    screenshot(page, "08-statement-waived")

    # The head decides.
    _login(page, base, "p_xihu_approver", detail)

    def decide(form: Any) -> None:
        form.locator(f"input[name=kinds_{party.pk}][value=fine]").check()
        form.locator(f"input[name=fine_{party.pk}]").fill(FINE)
        form.locator("textarea[name=basis]").fill(
            "《中华人民共和国安全生产法》第四十一条第二款、第一百零二条")

    _step(page, "decide", decide)
    _status(page, "已作出决定")
    _fits(page)
    screenshot(page, "09-decided")

    # The officers issue the 行政处罚决定书 and download it.
    _login(page, base, "p_xihu_inspector", detail)
    _decision_step(page, "document")
    expect(page.locator("[data-testid=decision-document]")).to_have_count(0)  # issued once
    decision_pdf = _download(page, "[data-testid=document-罚]", tmp_path / "decision.pdf")
    number = IssuedDocument.objects.get(doc_type_id="罚", object_id=str(case.pk)).number
    text = _text(decision_pdf)
    assert "行政处罚决定书" in text
    for part in (site.name, "".join(number.split()), "30000.00元", "人民币叁万元整"):
        assert part in text, part
    assert number.startswith("（杭西）应急罚〔") and number.endswith("号")
    screenshot(page, "10-decision-document")

    # Service, then the payment: the case is executed.
    def serve(card: Any) -> None:
        card.locator("select[name=method]").select_option("in_person")
        card.locator("input[name=note]").fill("直接送达当事人主要负责人")

    _decision_step(page, "serve", serve)
    _status(page, "已送达")
    expect(page.locator("[data-testid=decision-card]")).to_contain_text("缴款期限至")
    _fits(page)
    screenshot(page, "11-served")
    _decision_step(page, "pay", lambda card: card.locator("input[name=amount]").fill(FINE))
    _status(page, "执行")
    expect(page.locator("[data-testid=decision-card]")).to_contain_text("已缴清")
    _fits(page)
    screenshot(page, "12-executing-paid")

    # The head closes the case and downloads the 卷宗.
    _login(page, base, "p_xihu_approver", detail)
    _step(page, "close")
    _status(page, "结案")
    timeline = page.locator("[data-testid=timeline]")
    for label in ("建立案件", "呈报立案审批表", "批准立案", "法制审核", "告知当事人",
                  "作出行政处罚决定", "送达", "缴款", "结案"):
        expect(timeline).to_contain_text(label)
    expect(timeline).not_to_contain_text("approve_filing")
    _fits(page)
    screenshot(page, "13-closed")
    whole = _download(page, "[data-testid=case-file]", tmp_path / "case-file.pdf")
    pages = len(PdfReader(io.BytesIO(whole)).pages)
    assert pages >= 5  # cover, index, the notice, the decision, the evidence list
    text = _text(whole)
    for part in ("行政处罚案卷", "卷内目录", "证据清单", "".join(notice_row.number.split()),
                 "".join(number.split()), site.name):
        assert part in text, part

    case.refresh_from_db()
    decision = case.decisions.get()
    assert (case.status, decision.status) == (S.CLOSED, PenaltyDecision.Status.PAID)
    assert case.filing_approved_by_id == xihu_approver.pk
    assert case.legal_reviewer_id == xihu_chief.pk and decision.approved_by_id == xihu_approver.pk
    assert set(case.officers.all()) == {xihu_inspector, second}
    assert decision.served_at is not None and decision.paid_at is not None
    assert timezone.localtime(case.closed_at).date() == timezone.localdate()
