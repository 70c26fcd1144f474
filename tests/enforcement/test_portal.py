"""The public portal: the decisions API (filters, 400s, cursor pages, 404 for what is
not published), the pages (home, list, detail, the withdrawn notice, the error report
with its receipt and 5-working-day due date), the PDF and the streamed export."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from pypdf import PdfReader

from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure, DisclosureObjection
from enforcement.public_reports import challenge
from tests.enforcement.portal_helpers import walk_to_published

pytestmark = pytest.mark.django_db
API = "/api/v1/public/decisions/"


@pytest.fixture
def two(case_world: dict[str, Any]) -> list[Disclosure]:
    first = walk_to_published(case_world, title="未按规定开展安全生产教育和培训")
    second = walk_to_published(case_world, title="危险化学品储存不符合国家标准", documents=False)
    return [first, second]


def test_the_api_lists_what_is_published_newest_first(two: list[Disclosure]) -> None:
    client = Client()
    body = client.get(API).json()
    assert set(body) == {"next", "previous", "results"}
    assert [r["id"] for r in body["results"]] == [two[1].pk, two[0].pk]
    row = body["results"][1]
    assert row["document_number"] and "罚" in row["document_number"]
    assert row["district"] == "330106" and row["district_name"] == "西湖区"
    assert row["decision_type"] == "penalty" and row["decision_type_label"] == "行政处罚决定"
    english = client.get(API, HTTP_ACCEPT_LANGUAGE="en").json()["results"][1]
    assert english["decision_type_label"] != "行政处罚决定"
    assert row["url"] == f"/public/decisions/{two[0].pk}/"
    assert "public_text" not in row and "original_text" not in row
    detail = client.get(f"{API}{two[0].pk}/").json()
    assert detail["public_text"] and "original_text" not in detail and "masks" not in detail
    # The second decision's document is not issued (no serial reserved yet): no number.
    assert body["results"][0]["document_number"] == ""


def test_filters_and_their_400s(two: list[Disclosure]) -> None:
    client = Client()
    hits = client.get(API, {"q": "危险化学品"}).json()["results"]
    assert [r["id"] for r in hits] == [two[1].pk]
    assert [r["id"] for r in client.get(API, {"q": "培训"}).json()["results"]] == [two[0].pk]
    number = Disclosure.objects.get(pk=two[0].pk).document_number
    assert [r["id"] for r in client.get(API, {"q": number}).json()["results"]] == [two[0].pk]
    assert client.get(API, {"district": "330108"}).json()["results"] == []
    year = two[0].decided_on.year
    assert len(client.get(API, {"year": year, "district": "330106",
                                "decision_type": "penalty"}).json()["results"]) == 2
    assert client.get(API, {"year": year - 1}).json()["results"] == []
    for params, code in [({"q": "危"}, "search_too_short"), ({"q": "x" * 61}, "search_too_long"),
                         ({"district": "999999"}, "invalid_district"),
                         ({"year": "20x6"}, "invalid_year"), ({"year": "1899"}, "invalid_year"),
                         ({"decision_type": "bogus"}, "invalid_decision_type"),
                         ({"cursor": "junk"}, "invalid_cursor")]:
        refused = client.get(API, params)
        assert refused.status_code == 400, params
        body = refused.json()
        assert body["code"] == code and body["detail"] and body["detail_en"]
    page = client.get("/public/decisions/", {"q": "危"})
    assert page.status_code == 400 and "至少输入两个字" in page.content.decode()


def test_cursor_pages_walk_every_row_once(two: list[Disclosure],
                                          case_world: dict[str, Any]) -> None:
    walk_to_published(case_world, documents=False)
    client = Client()
    seen, url = [], f"{API}?page_size=1"
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert len(seen) == 3 and seen == sorted(seen, reverse=True)


def test_what_is_not_published_is_404(two: list[Disclosure], case_world: dict[str, Any]) -> None:
    client = Client()
    withdrawn = disclosure.withdraw(two[0], actor=case_world["inspector"], reason="决定已撤销")
    assert withdrawn.status == Disclosure.Status.WITHDRAWN
    assert client.get(f"{API}{two[0].pk}/").status_code == 404
    assert [r["id"] for r in client.get(API).json()["results"]] == [two[1].pk]
    page = client.get(f"/public/decisions/{two[0].pk}/")
    assert page.status_code == 404 and "已撤回或公示期已满" in page.content.decode()
    assert two[0].party_name not in page.content.decode()
    assert client.get(f"/public/decisions/{two[0].pk}/pdf/").status_code == 404
    pending = Disclosure.objects.exclude(status=Disclosure.Status.PUBLISHED).exclude(
        pk=two[0].pk).first()
    if pending is not None:
        assert client.get(f"/public/decisions/{pending.pk}/").status_code == 404
    assert client.get("/public/decisions/999999999/").status_code == 404


def test_pages_home_list_detail(two: list[Disclosure]) -> None:
    client = Client()
    home = client.get("/public/")
    text = home.content.decode()
    assert home.status_code == 200
    assert two[0].party_name in text and "/public/blacklist/" in text
    assert "/public/reports/new/" in text and "/public/reports/track/" in text
    listed = client.get("/public/decisions/", {"q": "培训", "district": "330106"})
    assert listed.status_code == 200
    assert f"/public/decisions/{two[0].pk}/" in listed.content.decode()
    assert f"/public/decisions/{two[1].pk}/" not in listed.content.decode()
    detail = client.get(f"/public/decisions/{two[0].pk}/").content.decode()
    assert two[0].party_name in detail and "此记录有误" in detail
    verify = client.get("/public/verify/", {"code": "ABC123"})
    assert verify.status_code == 302 and verify["Location"] == "/public/verify/ABC123/"


def _answered() -> tuple[str, str]:
    """A challenge token issued 10 seconds ago and its answer (what a citizen who read
    the question sends)."""
    issued = challenge.issue()
    data = signing.loads(issued.token, salt=challenge.SALT)
    data["t"] = int(time.time()) - 10
    a, b = (int(x) for x in issued.question.split(" = ")[0].split(" + "))
    return signing.dumps(data, salt=challenge.SALT, compress=True), str(a + b)


def test_the_error_report_gets_a_receipt_and_five_working_days(two: list[Disclosure]) -> None:
    client = Client()
    url = f"/public/decisions/{two[0].pk}/objection/"
    wrong = client.post(url, {"text": "文号有误", "challenge_token": "x", "challenge_answer": "1"})
    assert wrong.status_code == 400 and not DisclosureObjection.objects.exists()
    token, answer = _answered()
    done = client.post(url, {"text": "当事人名称有误", "contact": "邮箱 a@example.org",
                             "challenge_token": token, "challenge_answer": answer})
    assert done.status_code == 200
    objection = DisclosureObjection.objects.get()
    assert objection.disclosure_id == two[0].pk and objection.clock is not None
    assert objection.clock.amount == 5 and objection.clock.kind == "working_days"
    body = done.content.decode()
    assert f"YY{two[0].pk:06d}-{objection.pk:06d}" in body
    assert objection.due_date.strftime("%Y-%m-%d") in body


def test_the_pdf_is_the_public_version(two: list[Disclosure]) -> None:
    response = Client().get(f"/public/decisions/{two[0].pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    compact = "".join(text.split())
    row = Disclosure.objects.get(pk=two[0].pk)
    assert "".join(row.party_name.split()) in compact
    assert "".join(row.document_number.split()) in compact


def test_the_export_streams_the_same_rows_as_csv_and_json(two: list[Disclosure]) -> None:
    client = Client()
    as_csv = client.get("/public/decisions/export.csv")
    assert as_csv.streaming and as_csv["Content-Type"].startswith("text/csv")
    text = b"".join(as_csv.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    as_json = client.get("/public/decisions/export.json")
    assert as_json.streaming
    items = json.loads(b"".join(as_json.streaming_content))
    assert [int(r["id"]) for r in rows] == [r["id"] for r in items] == [two[1].pk, two[0].pk]
    assert set(rows[0]) == set(items[0])
    assert {"original_text", "masks", "marked_names", "reviewer"}.isdisjoint(items[0])
    assert rows[1]["document_number"] == items[1]["document_number"] != ""
    filtered = client.get("/public/decisions/export.json", {"q": "培训"})
    assert [r["id"] for r in json.loads(b"".join(filtered.streaming_content))] == [two[0].pk]
    assert client.get("/public/decisions/export.csv", {"year": "x"}).status_code == 400
