"""Draw set-up pages: object directories, item lists, the inspector directory and
conflict declarations, end to end through the Django test client."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from enterprises.models import Enterprise, RiskLevel, Sector
from hangzhou_safety.accounts.models import Authority, Role, User
from inspections.checklists.templates import load_checklist_templates
from inspections.models import (
    ChecklistTemplate,
    ConflictDeclaration,
    DrawItemList,
    ObjectDirectory,
    RandomDraw,
)
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db

BINJIANG_STREET = "330108001"


def staff(username: str, role: str, authority_code: str, *, cert: str = "",
          valid_until: datetime.date | None = datetime.date(2030, 12, 31)) -> User:
    user = User(username=username, full_name=username, role=role,
                authority=Authority.objects.get(code=authority_code),
                certificate_number=cert, certificate_valid_until=valid_until if cert else None)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def templates(reference_data: None) -> list[ChecklistTemplate]:
    load_checklist_templates()
    return list(ChecklistTemplate.objects.filter(active=True).order_by("code"))


@pytest.fixture
def xihu_units(reference_data: None) -> list[Enterprise]:
    units = [enterprise(f"西湖抽查企业{i}", 700 + i) for i in range(1, 5)]
    units.append(enterprise("西湖危化企业", 711, sector=Sector.HAZARDOUS_CHEMICALS,
                            is_high_risk=True, risk_level=RiskLevel.RED))
    enterprise("滨江抽查企业", 720, location=BINJIANG_STREET)
    return units


def test_chief_sets_up_and_draws_through_pages(web_as: Any, xihu_chief: User,
                                               xihu_inspector: User, xihu_units: list[Enterprise],
                                               templates: list[ChecklistTemplate]) -> None:
    client = web_as(xihu_chief)
    form_page = client.get("/draws/new/").content.decode()
    assert "/draws/directories/" in form_page and "/draws/item-lists/" in form_page
    assert "通过接口" not in form_page

    response = client.post("/draws/directories/", {"name": "西湖区全部在营单位",
                                                   "district": "330106"})
    assert response.status_code == 302
    response = client.post("/draws/directories/", {"name": "西湖区危化高危",
                                                   "sector": Sector.HAZARDOUS_CHEMICALS,
                                                   "high_risk": "true",
                                                   "risk_level": RiskLevel.RED})
    assert response.status_code == 302
    everything = ObjectDirectory.objects.get(name="西湖区全部在营单位")
    assert everything.filter_params == {"district": "330106"}
    assert everything.authority == xihu_chief.authority
    page = client.get("/draws/directories/").content.decode()
    assert "区县：西湖区" in page
    assert "监管行业：危险化学品" in page and "高危行业：是" in page
    assert "风险等级：红色（重大风险）" in page
    counts = page.split('data-testid="directory-count">')[1:]
    counts_by_name = {}
    for row in page.split('data-testid="directory-row"')[1:]:
        name = row.split("<td>")[1].split("</td>")[0]
        counts_by_name[name] = row.split('data-testid="directory-count">')[1].split("<")[0]
    assert len(counts) == 2
    assert counts_by_name == {"西湖区全部在营单位": "5", "西湖区危化高危": "1"}

    response = client.post("/draws/item-lists/", {"name": "通用事项",
                                                  "templates": [t.pk for t in templates[:2]]})
    assert response.status_code == 302
    item_list = DrawItemList.objects.get(name="通用事项")
    assert set(item_list.templates.all()) == set(templates[:2])
    page = client.get("/draws/item-lists/").content.decode()
    assert templates[0].code in page and templates[1].name in page

    form_page = client.get("/draws/new/").content.decode()
    assert 'data-testid="setup-missing"' not in form_page
    response = client.post("/draws/new/", {"object_directory": everything.pk,
                                           "item_list": item_list.pk, "year": 2026,
                                           "month": 5, "enterprise_count": 3})
    draw = RandomDraw.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/draws/{draw.pk}/"
    assert len(draw.result) == 3
    assert set(draw.snapshot["enterprises"]) == {u.pk for u in xihu_units}


def test_draw_list_links_setup_pages(web_as: Any, xihu_inspector: User) -> None:
    page = web_as(xihu_inspector).get("/draws/").content.decode()
    for url, label in [("/draws/directories/", "名录库"), ("/draws/item-lists/", "事项清单"),
                       ("/draws/inspectors/", "执法人员名录"), ("/draws/conflicts/", "回避声明")]:
        assert f'href="{url}">{label}<' in page


def test_inspector_reads_but_cannot_create(web_as: Any, xihu_inspector: User,
                                           templates: list[ChecklistTemplate]) -> None:
    client = web_as(xihu_inspector)
    page = client.get("/draws/directories/")
    assert page.status_code == 200 and 'data-testid="directory-form"' not in page.content.decode()
    assert client.post("/draws/directories/", {"name": "越权名录"}).status_code == 403
    assert client.get("/draws/item-lists/").status_code == 200
    assert client.post("/draws/item-lists/", {"name": "越权清单",
                                               "templates": [templates[0].pk]}).status_code == 403
    assert not ObjectDirectory.objects.exists() and not DrawItemList.objects.exists()


def test_bad_input_shows_chinese_errors_and_writes_nothing(
        web_as: Any, xihu_chief: User, binjiang_inspector: User,
        templates: list[ChecklistTemplate]) -> None:
    client = web_as(xihu_chief)
    response = client.post("/draws/directories/", {"name": "  ", "sector": "bogus"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "请填写名称" in body and "所选项不可用" in body
    # A district outside the chief's jurisdiction is not a choice.
    response = client.post("/draws/directories/", {"name": "滨江", "district": "330108"})
    assert response.status_code == 400 and "所选项不可用" in response.content.decode()
    assert not ObjectDirectory.objects.exists()

    response = client.post("/draws/item-lists/", {"name": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "请填写名称" in body and "请至少选择一张检查表" in body
    inactive = templates[0]
    inactive.active = False
    inactive.save()
    response = client.post("/draws/item-lists/", {"name": "含停用表",
                                                  "templates": [inactive.pk]})
    assert response.status_code == 400 and "所选检查表不可用" in response.content.decode()
    assert not DrawItemList.objects.exists()


def test_inspector_directory_lists_certified_of_own_authority(
        web_as: Any, xihu_chief: User, xihu_inspector: User, xihu_approver: User,
        binjiang_inspector: User) -> None:
    expired = staff("xh_expired", Role.INSPECTOR, "EM-330106", cert="X330106777",
                    valid_until=datetime.date(2020, 1, 1))
    staff("xh_nocert", Role.INSPECTOR, "EM-330106")
    page = web_as(xihu_inspector).get("/draws/inspectors/").content.decode()
    pool = page.split('data-testid="inspector-table"')[1].split("</table>")[0]
    assert "西湖执法员" in pool and "P330106001" in pool and "2030-12-31" in pool
    assert "西湖科长" in pool and "具备" in pool
    assert pool.count('data-testid="inspector-row"') == 2
    assert "滨江执法员" not in page and "P330108001" not in page
    assert xihu_approver.full_name not in pool  # approvers are not drawn
    assert expired.certificate_number not in pool
    assert "X330106777" in page.split('data-testid="expired-inspectors"')[1]
    assert "另有 1 名人员未登记执法证" in page
    # Another authority's directory: 404 outside the jurisdiction.
    assert web_as(xihu_inspector).get("/draws/inspectors/?authority=EM-330108").status_code == 404


def test_outsider_sees_no_xihu_setup(web_as: Any, xihu_chief: User, binjiang_inspector: User,
                                     binjiang_approver: User, xihu_units: list[Enterprise],
                                     templates: list[ChecklistTemplate]) -> None:
    client = web_as(xihu_chief)
    client.post("/draws/directories/", {"name": "西湖名录甲"})
    client.post("/draws/item-lists/", {"name": "西湖清单乙", "templates": [templates[0].pk]})
    client.post("/draws/conflicts/", {"inspector": xihu_chief.pk,
                                      "uscc": xihu_units[0].uscc, "reason": "亲属任职"})
    assert ConflictDeclaration.objects.count() == 1
    client.get("/draws/")  # consume the success messages (web_as reuses one client)
    directory = ObjectDirectory.objects.get()
    outsider = web_as(binjiang_inspector)
    assert "西湖名录甲" not in outsider.get("/draws/directories/").content.decode()
    assert "西湖清单乙" not in outsider.get("/draws/item-lists/").content.decode()
    assert "亲属任职" not in outsider.get("/draws/conflicts/").content.decode()
    approver = web_as(binjiang_approver)
    response = approver.post("/draws/new/", {"object_directory": directory.pk,
                                             "item_list": DrawItemList.objects.get().pk,
                                             "year": 2026, "month": 5,
                                             "enterprise_count": 1})
    assert "所选名录库不可用" in response.content.decode()
    assert not RandomDraw.objects.exists()


def test_inspector_declares_conflict_and_draw_avoids_it(
        web_as: Any, xihu_chief: User, xihu_inspector: User, binjiang_inspector: User,
        xihu_units: list[Enterprise], templates: list[ChecklistTemplate]) -> None:
    staff("xh_third", Role.INSPECTOR, "EM-330106", cert="P330106003")
    target = xihu_units[0]
    client = web_as(xihu_inspector)
    page = client.get("/draws/conflicts/").content.decode()
    assert 'name="inspector"' not in page  # an inspector declares for themself only
    response = client.post("/draws/conflicts/", {"uscc": target.uscc, "reason": ""})
    assert response.status_code == 400 and "请填写回避理由" in response.content.decode()
    response = client.post("/draws/conflicts/", {"uscc": "91330108MA200000X0",
                                                 "reason": "亲属"})
    assert response.status_code == 400 and "未找到该统一社会信用代码" in response.content.decode()
    # Posting someone else's id is ignored: an inspector only declares their own.
    response = client.post("/draws/conflicts/", {"uscc": target.uscc.lower(),
                                                 "reason": "配偶在该单位任职",
                                                 "inspector": xihu_chief.pk})
    assert response.status_code == 302
    conflict = ConflictDeclaration.objects.get()
    assert conflict.inspector == xihu_inspector and conflict.enterprise == target
    page = client.get("/draws/conflicts/").content.decode()
    assert "配偶在该单位任职" in page and target.name in page
    again = client.post("/draws/conflicts/", {"uscc": target.uscc, "reason": "再次"})
    assert again.status_code == 400 and "已就该单位声明回避" in again.content.decode()
    assert ConflictDeclaration.objects.count() == 1
    assert web_as(binjiang_inspector).post(
        "/draws/conflicts/", {"uscc": target.uscc, "reason": "x"}).status_code == 400

    chief = web_as(xihu_chief)
    chief.post("/draws/directories/", {"name": "全部"})
    chief.post("/draws/item-lists/", {"name": "清单", "templates": [templates[0].pk]})
    directory, item_list = ObjectDirectory.objects.get(), DrawItemList.objects.get()
    for month in range(1, 7):
        response = chief.post("/draws/new/", {"object_directory": directory.pk,
                                              "item_list": item_list.pk, "year": 2026,
                                              "month": month,
                                              "enterprise_count": len(xihu_units)})
        assert response.status_code == 302
    drawn = RandomDraw.objects.all()
    assert drawn.count() == 6
    for draw in drawn:
        assert [xihu_inspector.pk, target.pk] in draw.snapshot["conflicts"]
        for row in draw.result:
            if row["enterprise"] == target.pk:
                assert xihu_inspector.pk not in row["inspectors"]


def test_chief_declares_for_inspector_of_authority(web_as: Any, xihu_chief: User,
                                                   xihu_inspector: User,
                                                   binjiang_inspector: User,
                                                   xihu_units: list[Enterprise]) -> None:
    client = web_as(xihu_chief)
    page = client.get("/draws/conflicts/").content.decode()
    assert "西湖执法员" in page and "滨江执法员" not in page
    response = client.post("/draws/conflicts/", {"inspector": binjiang_inspector.pk,
                                                 "uscc": xihu_units[1].uscc, "reason": "x"})
    assert response.status_code == 400 and "所选执法人员不可用" in response.content.decode()
    response = client.post("/draws/conflicts/", {"inspector": xihu_inspector.pk,
                                                 "uscc": xihu_units[1].uscc,
                                                 "reason": "曾为该单位提供咨询"})
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get().inspector == xihu_inspector


def test_pages_have_no_inline_script_or_style(web_as: Any, xihu_chief: User,
                                              templates: list[ChecklistTemplate]) -> None:
    client = web_as(xihu_chief)
    for url in ["/draws/directories/", "/draws/item-lists/", "/draws/inspectors/",
                "/draws/conflicts/", "/draws/"]:
        body = client.get(url).content.decode()
        assert " style=" not in body and "<script>" not in body, url
        assert " onclick=" not in body and " onchange=" not in body, url
