"""The registry's server-rendered pages: list, detail tabs, create/edit, filing buttons."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from enterprises import services
from enterprises.models import (
    Enterprise,
    IndustryClass,
    InsurancePolicy,
    MajorHazardSource,
    Sector,
)
from enterprises.reference import load_industry_classes
from hangzhou_safety.accounts.models import Jurisdiction, Role
from hangzhou_safety.audit.models import AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

XIHU_STREET = "330106002"      # 西湖区 北山街道
BINJIANG_STREET = "330108001"  # 滨江区 西兴街道
_serial = itertools.count(1)


@pytest.fixture
def industry_data(db: Any) -> None:
    """GB/T 4754 classes (loaded by migration; reloaded after a transactional test
    elsewhere has flushed the tables)."""
    if not IndustryClass.objects.filter(code="2614").exists():
        load_industry_classes(IndustryClass)


def valid_uscc() -> str:
    first17 = f"91330106MA2{next(_serial):06d}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


def make_enterprise(name: str, street: str = XIHU_STREET, *, sector: str = Sector.OTHER,
                    **extra: Any) -> Enterprise:
    data = {"name": name, "uscc": extra.pop("uscc", None) or valid_uscc(),
            "location": Jurisdiction.objects.get(code=street), "sector": sector, **extra}
    return services.create_enterprise(data, actor=None)


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "西湖精细化工有限公司", "uscc": valid_uscc(), "operator_id_number": "",
        "legal_representative": "张三", "principal_name": "李四",
        "principal_phone": "13800000000", "safety_manager_name": "王五",
        "safety_manager_phone": "", "contact_phone": "", "address": "北山路 1 号",
        "status": "operating", "location": Jurisdiction.objects.get(code=XIHU_STREET).pk,
        "registration_jurisdiction": "", "latitude": "", "longitude": "",
        "industry": "", "sector": Sector.HAZARDOUS_CHEMICALS, "employees": "120",
        "annual_revenue": "", "standardisation_grade": "none",
        "special_operations": ["confined_space"], "occupational_hazards": ["chemical"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def names_on(page: str, *names: str) -> list[str]:
    return [n for n in names if n in page]


def test_list_shows_only_enterprises_in_the_users_jurisdiction(
        web_as, client, xihu_inspector, binjiang_inspector):
    xihu = make_enterprise("西湖区甲化工厂")
    make_enterprise("滨江区乙机械厂", BINJIANG_STREET)

    page = web_as(binjiang_inspector).get("/enterprises/").content.decode()
    assert names_on(page, "西湖区甲化工厂", "滨江区乙机械厂") == ["滨江区乙机械厂"]
    assert web_as(binjiang_inspector).get(f"/enterprises/{xihu.pk}/").status_code == 404
    assert web_as(binjiang_inspector).get(f"/enterprises/{xihu.pk}/edit/").status_code == 404
    client.logout()

    page = web_as(xihu_inspector).get("/enterprises/").content.decode()
    assert names_on(page, "西湖区甲化工厂", "滨江区乙机械厂") == ["西湖区甲化工厂"]
    detail = web_as(xihu_inspector).get(f"/enterprises/{xihu.pk}/")
    assert detail.status_code == 200
    assert "西湖区甲化工厂" in detail.content.decode()


def test_list_requires_login(client):
    response = client.get("/enterprises/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_menu_links_to_the_registry(web_as, xihu_inspector):
    page = web_as(xihu_inspector).get("/").content.decode()
    assert 'href="/enterprises/"' in page and "生产经营单位" in page


def test_filters_and_chinese_search(web_as, municipal_admin):
    chem = make_enterprise("杭州西湖精细化工有限公司", sector=Sector.HAZARDOUS_CHEMICALS)
    make_enterprise("滨江纺织印染厂", BINJIANG_STREET, sector=Sector.TEXTILES)
    make_enterprise("西湖茶叶商贸公司", sector=Sector.COMMERCE)
    client = web_as(municipal_admin)
    all_names = ("杭州西湖精细化工有限公司", "滨江纺织印染厂", "西湖茶叶商贸公司")

    def listed(**params: str) -> list[str]:
        response = client.get("/enterprises/", params)
        assert response.status_code == 200
        return names_on(response.content.decode(), *all_names)

    assert listed(search="化工") == ["杭州西湖精细化工有限公司"]          # 2 characters
    assert listed(search="精细化工") == ["杭州西湖精细化工有限公司"]      # 4 characters
    assert listed(search="西湖") == ["杭州西湖精细化工有限公司", "西湖茶叶商贸公司"]
    assert listed(search=chem.uscc) == ["杭州西湖精细化工有限公司"]
    assert listed(district="330108") == ["滨江纺织印染厂"]
    assert listed(street=XIHU_STREET) == ["杭州西湖精细化工有限公司", "西湖茶叶商贸公司"]
    assert listed(sector=Sector.COMMERCE) == ["西湖茶叶商贸公司"]
    assert listed(high_risk="true") == ["杭州西湖精细化工有限公司"]
    assert listed(high_risk="false") == ["滨江纺织印染厂", "西湖茶叶商贸公司"]
    assert listed(insurance_missing="true") == ["杭州西湖精细化工有限公司"]
    assert listed(supervisor="EM-330108") == ["滨江纺织印染厂"]
    MajorHazardSource.objects.create(enterprise=chem, name="液氨储罐区", level=3)
    assert listed(has_hazard_sources="true") == ["杭州西湖精细化工有限公司"]
    Enterprise.objects.filter(pk=chem.pk).update(risk_level="red")
    assert listed(risk_level="red") == ["杭州西湖精细化工有限公司"]
    # A tampered value is answered in Chinese, never with a guess.
    page = client.get("/enterprises/", {"sector": "nonsense"}).content.decode()
    assert "筛选条件无效" in page and names_on(page, *all_names) == []


def test_district_filter_offers_only_visible_districts(web_as, xihu_inspector):
    page = web_as(xihu_inspector).get("/enterprises/").content.decode()
    assert '<option value="330106"' in page
    assert '<option value="330108"' not in page


def test_htmx_request_gets_only_the_results(web_as, xihu_inspector):
    make_enterprise("西湖区丙机械厂")
    response = web_as(xihu_inspector).get("/enterprises/", {"search": "机械"},
                                          HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="enterprise-results"' in body and "西湖区丙机械厂" in body
    assert "<html" not in body


def test_keyset_pagination_and_export_link(web_as, xihu_inspector):
    created = [make_enterprise(f"分页测试单位{n:02d}") for n in range(53)]
    client = web_as(xihu_inspector)
    first = client.get("/enterprises/", {"sector": "other"}).content.decode()
    assert first.count('data-testid="enterprise-card"') == 50
    assert "分页测试单位52" in first and "分页测试单位02" not in first
    assert f"after={created[3].pk}" in first and "下一页" in first
    assert 'href="/enterprises/export/?sector=other"' in first
    second = client.get("/enterprises/", {"sector": "other", "after": created[3].pk})
    page = second.content.decode()
    assert page.count('data-testid="enterprise-card"') == 3
    assert 'data-testid="next-page"' not in page


def test_list_costs_a_fixed_number_of_queries(web_as, xihu_inspector,
                                              django_assert_max_num_queries):
    client = web_as(xihu_inspector)
    for n in range(5):
        make_enterprise(f"查询计数单位{n}", sector=Sector.MACHINERY)
    client.get("/enterprises/")  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        assert client.get("/enterprises/").status_code == 200
    for n in range(5, 60):
        make_enterprise(f"查询计数单位{n}", sector=Sector.MACHINERY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/enterprises/").content.decode()
    assert page.count('data-testid="enterprise-card"') == 50
    assert not any("COUNT(" in q["sql"].upper() for q in few.captured_queries)


def test_create_with_bad_credit_code_rerenders_with_chinese_error(web_as, xihu_inspector):
    client = web_as(xihu_inspector)  # logging in is itself audited: count after it
    before = Enterprise.objects.count()
    events = AuditEvent.objects.count()
    response = client.post("/enterprises/new/",
                                           form_data(uscc="91330106MA2000001X"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-uscc"' in page
    assert "统一社会信用代码校验位错误或含非法字符。" in page
    assert Enterprise.objects.count() == before
    assert AuditEvent.objects.count() == events


def test_create_reports_field_errors_from_the_form_and_the_service(web_as, xihu_inspector,
                                                                   industry_data):
    existing = make_enterprise("已登记单位")
    client = web_as(xihu_inspector)
    page = client.post("/enterprises/new/", form_data(
        name="", industry="9999", uscc="", employees="-3")).content.decode()
    assert "请填写单位名称。" in page
    assert "国民经济行业代码“9999”不存在。" in page
    assert "个体工商户无代码的" in page
    page = client.post("/enterprises/new/", form_data(industry="26")).content.decode()
    assert "请填写四位小类代码" in page
    # A duplicate credit code is caught by the service and shown under the field.
    page = client.post("/enterprises/new/", form_data(uscc=existing.uscc)).content.decode()
    assert 'data-testid="error-uscc"' in page and "已存在" in page
    # Another district's street is not offered, and a forged one is refused.
    binjiang = Jurisdiction.objects.get(code=BINJIANG_STREET)
    page = client.post("/enterprises/new/", form_data(location=binjiang.pk)).content.decode()
    assert "所选辖区不在您的管辖范围内。" in page
    assert Enterprise.objects.count() == 1


def test_create_ok_redirects_to_detail(web_as, xihu_inspector, industry_data):
    response = web_as(xihu_inspector).post("/enterprises/new/", form_data(industry="2614"))
    enterprise = Enterprise.objects.get(name="西湖精细化工有限公司")
    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{enterprise.pk}/"
    assert enterprise.industry_id == "2614"
    assert enterprise.special_operations == ["confined_space"]
    assert enterprise.is_high_risk and enterprise.supervising_authority.code == "EM-330106"
    page = web_as(xihu_inspector).get(response["Location"]).content.decode()
    assert "已登记生产经营单位" in page
    assert "有限空间作业" in page and "杭州市西湖区应急管理局" in page
    # High-risk without a valid 安责险: a warning on the detail page.
    assert 'data-testid="liability-warning"' in page


def test_edit_changes_the_enterprise_and_writes_an_audit_event(web_as, xihu_inspector):
    enterprise = make_enterprise("修改前名称")
    client = web_as(xihu_inspector)
    form = client.get(f"/enterprises/{enterprise.pk}/edit/").content.decode()
    assert "修改前名称" in form and enterprise.uscc in form
    response = client.post(f"/enterprises/{enterprise.pk}/edit/", form_data(
        name="修改后名称", uscc=enterprise.uscc, sector=Sector.MACHINERY,
        change_reason="核实营业执照"))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "修改后名称" and enterprise.sector == Sector.MACHINERY
    event = AuditEvent.objects.filter(action="enterprise.updated",
                                      object_id=str(enterprise.pk)).get()
    assert event.new_values["name"] == "修改后名称" and event.reason == "核实营业执照"


def test_auditor_cannot_create_or_edit(web_as, reference_data):
    auditor = make_user("p_auditor", Role.AUDITOR, "EM-330106")
    enterprise = make_enterprise("审计只读单位")
    client = web_as(auditor)
    assert client.get("/enterprises/new/").status_code == 403
    assert client.post("/enterprises/new/", form_data()).status_code == 403
    assert client.get(f"/enterprises/{enterprise.pk}/edit/").status_code == 403
    assert client.get(f"/enterprises/{enterprise.pk}/").status_code == 200
    assert 'data-testid="create-enterprise"' not in client.get("/enterprises/").content.decode()


def test_detail_masks_the_operator_id_number_and_shows_tabs(web_as, xihu_inspector):
    id_number = "11010519491231002X"
    enterprise = make_enterprise("个体五金店", uscc=None, operator_id_number=id_number)
    Enterprise.objects.filter(pk=enterprise.pk).update(uscc=None)
    today = timezone.localdate()
    InsurancePolicy.objects.create(
        enterprise=enterprise, kind=InsurancePolicy.Kind.WORK_INJURY, insurer="人保财险",
        policy_number="P-001", start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=35))
    page = web_as(xihu_inspector).get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert id_number not in page and "110105********002X" in page
    for label in ("基本信息", "监管", "重大危险源", "保险", "风险", "检查记录", "执法案件",
                  "信用记录", "将在后续版本提供"):
        assert label in page
    assert "不在保险期内" in page and "P-001" in page


def test_file_and_cancel_a_hazard_source_through_the_page(web_as, client, xihu_chief,
                                                          xihu_inspector):
    enterprise = make_enterprise("液氨制冷冷库", sector=Sector.LIGHT_INDUSTRY)
    source = MajorHazardSource.objects.create(enterprise=enterprise, name="液氨储罐区",
                                              level=3)
    file_url = f"/enterprises/{enterprise.pk}/hazard-sources/{source.pk}/file/"
    cancel_url = f"/enterprises/{enterprise.pk}/hazard-sources/{source.pk}/cancel/"

    # An inspector sees no buttons and is refused.
    page = web_as(xihu_inspector).get(f"/enterprises/{enterprise.pk}/?tab=hazards")
    assert 'data-testid="file-hazard"' not in page.content.decode()
    assert web_as(xihu_inspector).post(file_url).status_code == 403
    client.logout()

    chief = web_as(xihu_chief)
    page = chief.get(f"/enterprises/{enterprise.pk}/?tab=hazards").content.decode()
    assert 'data-testid="file-hazard"' in page
    response = chief.post(file_url, follow=True)
    assert response.redirect_chain[-1][0] == f"/enterprises/{enterprise.pk}/?tab=hazards"
    source.refresh_from_db()
    assert source.status == MajorHazardSource.Status.FILED
    assert source.filing_authority.code == "EM-330106"
    assert "已备案" in response.content.decode()
    assert AuditEvent.objects.filter(action="hazard_source.filed").count() == 1

    # Filing twice is an illegal move, explained in Chinese.
    page = chief.post(file_url, follow=True).content.decode()
    assert "alert-danger" in page and "重大危险源当前状态为“已备案”，不能变更为“已备案”" in page
    # Cancelling needs a reason.
    page = chief.post(cancel_url, {"reason": "  "}, follow=True).content.decode()
    assert "请填写核销理由。" in page
    source.refresh_from_db()
    assert source.status == MajorHazardSource.Status.FILED
    chief.post(cancel_url, {"reason": "装置已拆除"})
    source.refresh_from_db()
    assert source.status == MajorHazardSource.Status.CANCELLED
    assert source.cancellation_reason == "装置已拆除"


def test_hazard_source_of_another_district_is_404(web_as, reference_data):
    chief = make_user("p_binjiang_chief", Role.SECTION_CHIEF, "EM-330108")
    enterprise = make_enterprise("西湖区危化仓库")
    source = MajorHazardSource.objects.create(enterprise=enterprise, name="储罐", level=2)
    url = f"/enterprises/{enterprise.pk}/hazard-sources/{source.pk}/file/"
    assert web_as(chief).post(url).status_code == 404
    source.refresh_from_db()
    assert source.status == MajorHazardSource.Status.SUBMITTED


def test_tab_query_parameter_opens_that_tab_without_javascript(web_as, xihu_inspector):
    enterprise = make_enterprise("无脚本标签页单位")
    client = web_as(xihu_inspector)
    page = client.get(f"/enterprises/{enterprise.pk}/?tab=risk").content.decode()
    assert 'class="tab-pane show active" id="pane-risk"' in page
    assert 'class="tab-pane" id="pane-basic"' in page
    page = client.get(f"/enterprises/{enterprise.pk}/?tab=bogus").content.decode()
    assert 'class="tab-pane show active" id="pane-basic"' in page
