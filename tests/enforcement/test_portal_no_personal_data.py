"""Zero personal numbers on the public side: decisions whose texts carry resident ID
numbers, mobile numbers and bank card numbers with valid check digits (GB 11643,
Luhn; python-stdnum) are driven through the real case services up to published
disclosures; then every public API response and every public page (the portal's
home, lists, searches, details, PDFs as extracted text, the CSV and JSON export, the
blacklist, the inspection verification, the 12350 pages) is fetched anonymously and
scanned: none of the seeded numbers appears, and no valid ID, mobile or card number
of any kind does (the raw patterns)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from enforcement.disclosure.models import Disclosure
from inspections.models import Inspection
from tests.enforcement.disclosure_helpers import card, id_number, personal_numbers
from tests.enforcement.portal_helpers import walk_to_published
from tests.platform import surface

pytestmark = pytest.mark.django_db

# 330102 is the old 上城区, abolished in 2021 and absent from stdnum's area table: real
# cards still carry it, and it went through the masking unmasked before this test.
IDS = [id_number("33010619850315123"), id_number("33010219790812004"),
       id_number("11010519491231002")]
MOBILES = ["13812345678", "15957102233", "18657190011"]
CARDS = [card("622202020011234567"), card("621700123456789"), card("436742001234567")]


def _facts(n: int) -> str:
    return (f"经查，工人钱小红（身份证号{IDS[n]}，电话{MOBILES[n]}）在作业中受伤；"
            f"班组长孙国强手机{MOBILES[(n + 1) % 3]}，身份证 {IDS[(n + 1) % 3][:6]} "
            f"{IDS[(n + 1) % 3][6:14]} {IDS[(n + 1) % 3][14:]}。工资由其银行卡{CARDS[n]}、"
            f"{CARDS[(n + 1) % 3][:4]} {CARDS[(n + 1) % 3][4:8]} {CARDS[(n + 1) % 3][8:12]} "
            f"{CARDS[(n + 1) % 3][12:]}发放。")


def _seeded(users: dict[str, Any]) -> list[Disclosure]:
    rows = [walk_to_published(users, title="未按规定开展安全生产教育和培训", facts=_facts(0),
                              extra_persons=("钱小红", "孙国强")),
            walk_to_published(users, title="特种作业人员未持证上岗", facts=_facts(1),
                              extra_persons=("钱小红", "孙国强"), documents=False,
                              person={"name": "赵大勇", "identifier": IDS[2],
                                      "address": "杭州市西湖区文三路88号3幢",
                                      "phone": MOBILES[2]}),
            walk_to_published(users, title="未如实记录安全隐患排查治理情况", facts=_facts(2),
                              documents=False)]
    for row in rows:  # the numbers really are in what was decided
        assert len(personal_numbers(row.original_text)) >= 4, row.original_text
    return rows


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    if response.get("Content-Type", "").startswith("application/json"):
        # Also the decoded form (no \\u escapes could hide a number).
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _public_urls(rows: list[Disclosure]) -> list[str]:
    """Every public page and GET API of the surface (tests/platform: the allow-list
    every feature extends), with each path parameter bound to a real object."""
    inspection = Inspection.objects.exclude(verification_code="").first()
    code = inspection.verification_code if inspection else "NOSUCHCODE"
    ids = [str(r.pk) for r in rows]
    urls: list[str] = []
    templates = [f"/{p}" for p in surface.PUBLIC_PAGES] + [
        path for method, path in surface.PUBLIC_API if method == "get"]
    for template in sorted(templates):
        if not template.startswith(("/public/", "/api/v1/public/")):
            continue  # login, health, the calendar API: not the public portal
        if "disclosure_id" in template:
            urls += [re.sub(r"<int:disclosure_id>|\{disclosure_id\}", i, template) for i in ids]
        elif "code" in template:
            urls.append(re.sub(r"<str:code>|\{code\}", code, template))
        elif "tracking_no" in template:
            urls.append(re.sub(r"\{tracking_no\}", "NOSUCH", template))
        else:
            urls.append(template)
    # The searches and filters a citizen uses, and the pages after the first.
    urls += ["/public/decisions/?q=培训", "/public/decisions/?q=钱小红",
             "/public/decisions/?district=330106&year=" + str(rows[0].decided_on.year),
             f"/public/decisions/?before={rows[-1].pk}", "/api/v1/public/decisions/?q=培训",
             "/api/v1/public/decisions/?page_size=1",
             "/public/decisions/export.csv?q=特种作业", "/public/verify/?code=" + code]
    return urls


def test_no_public_response_carries_a_personal_number(case_world: dict[str, Any]) -> None:
    rows = _seeded(case_world)
    client = Client()
    seeded = [*IDS, *MOBILES, *CARDS]
    fetched: dict[str, str] = {}
    for url in _public_urls(rows):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), (url, response.status_code)
        fetched[url] = _text(response)
    # The cursor's next page of the API, too.
    nxt = client.get("/api/v1/public/decisions/?page_size=1").json()["next"]
    fetched[nxt] = _text(client.get(nxt))
    assert len(fetched) > 20
    for row in rows:  # the decisions really are on the public side
        assert any(row.party_name in t for t in fetched.values())
    for url, text in fetched.items():
        compact = re.sub(r"[\s-]", "", text)
        for number in seeded:
            assert number not in compact, (url, number)
        assert personal_numbers(text) == [], (url, personal_numbers(text))
