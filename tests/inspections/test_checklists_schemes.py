"""Checklist templates (seed, legal basis, choice per enterprise) and inspection schemes
(services, API, pages): workflow, roles, jurisdiction and bad input.

Personas from tests/conftest.py: xihu_inspector, xihu_chief (西湖区应急管理局),
binjiang_inspector (滨江区, the outsider), municipal_admin.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.http import Http404
from stdnum.cn import uscc

from enterprises.models import Enterprise, OccupationalHazard, Sector, SpecialOperation
from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role, User
from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists import services as schemes
from inspections.checklists.data import LAW_FILES, LAWS, TEMPLATES
from inspections.checklists.templates import load_checklist_templates, templates_for
from inspections.models import (
    SCHEME_TRANSITIONS,
    ChecklistItem,
    ChecklistTemplate,
    InspectionScheme,
)

pytestmark = pytest.mark.django_db

# The statute texts live in the repository (docs/laws/, see its README), found from here.
LAWS_DIR = Path(__file__).resolve().parents[2] / "docs" / "laws"
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")
ARTICLE_HEADING = re.compile(r"^(第[一二三四五六七八九十百零]+条)[\s\u3000]", re.M)
API = "/api/v1/schemes/"
CERT_UNTIL = datetime.date(2030, 12, 31)
START = datetime.date(2026, 12, 1)
END = datetime.date(2026, 12, 15)


# --- helpers -------------------------------------------------------------------------

def make_staff(username: str, role: str, authority_code: str, *, cert: str = "",
               cert_until: datetime.date | None = CERT_UNTIL) -> User:
    # Local helper: importing conftest's make_user depends on collection order.
    user = User(username=username, full_name=username, role=role,
                authority=Authority.objects.get(code=authority_code),
                certificate_number=cert,
                certificate_valid_until=cert_until if cert else None)
    user.set_unusable_password()
    user.save()
    return user


def make_enterprise(n: int, sector: str, *, special_operations: list[str] | None = None,
                    occupational_hazards: list[str] | None = None) -> Enterprise:
    first17 = f"91330106MA{n:07d}"
    return Enterprise.objects.create(
        name=f"检查表测试企业{n}", uscc=first17 + uscc.calc_check_digit(first17),
        location=Jurisdiction.objects.get(code="330106002"), sector=sector,
        special_operations=special_operations or [],
        occupational_hazards=occupational_hazards or [])


def article_bodies(law: str) -> dict[str, str]:
    """Article number → its text (up to the next article heading) in the statute file."""
    path = LAWS_DIR / LAW_FILES[law]
    if not path.is_file():
        pytest.fail(f"statute text for 《{law}》 is missing: {path} (docs/laws/ in the repository)")
    text = path.read_text(encoding="utf-8")
    heads = list(ARTICLE_HEADING.finditer(text))
    bodies: dict[str, str] = {}
    for i, match in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        bodies.setdefault(match.group(1), text[match.start():end])
    return bodies


def assert_chinese(text: str) -> None:
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


@pytest.fixture
def checklists(db: Any) -> dict[str, ChecklistTemplate]:
    load_checklist_templates()
    return {t.code: t for t in ChecklistTemplate.objects.all()}


@pytest.fixture
def xihu_inspector2(reference_data: None) -> User:
    return make_staff("t_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="T330106101")


@pytest.fixture
def xihu_chief2(reference_data: None) -> User:
    return make_staff("t_xihu_chief2", Role.SECTION_CHIEF, "EM-330106", cert="T330106102")


def scheme_payload(checklists: dict[str, ChecklistTemplate], members: list[User],
                   **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "2026年12月粉尘涉爆企业专项检查方案",
        "area": "北山街道、西溪街道辖区内粉尘涉爆企业",
        "content": "粉尘防爆安全管理、除尘系统、粉尘清理制度落实情况",
        "focus": "除尘系统爆炸防控措施、积尘清理",
        "start_date": START.isoformat(), "end_date": END.isoformat(),
        "templates": [checklists["GM-GEN-2026"].pk, checklists["GM-DUST-2026"].pk],
        "team": [u.pk for u in members],
    }
    data.update(overrides)
    return data


def service_data(checklists: dict[str, ChecklistTemplate], members: list[User],
                 **overrides: Any) -> dict[str, Any]:
    data = scheme_payload(checklists, members, **overrides)
    for key in ("start_date", "end_date"):
        if isinstance(data[key], str):
            data[key] = datetime.date.fromisoformat(data[key])
    return data


@pytest.fixture
def draft(checklists: dict[str, ChecklistTemplate], xihu_inspector: User,
          xihu_inspector2: User) -> InspectionScheme:
    return schemes.create_scheme(service_data(checklists, [xihu_inspector, xihu_inspector2]),
                                 actor=xihu_inspector)


# --- seed content ----------------------------------------------------------------------

def test_loader_is_idempotent() -> None:
    first = load_checklist_templates()
    templates = list(ChecklistTemplate.objects.order_by("code").values_list("id", "code"))
    items = list(ChecklistItem.objects.order_by("id").values_list(
        "id", "template__code", "order", "text", "law", "article", "major_hazard_criterion"))
    second = load_checklist_templates()
    assert first == second == sum(len(t["items"]) for t in TEMPLATES)
    assert list(ChecklistTemplate.objects.order_by("code").values_list("id", "code")) \
        == templates
    assert list(ChecklistItem.objects.order_by("id").values_list(
        "id", "template__code", "order", "text", "law", "article",
        "major_hazard_criterion")) == items
    assert {code for _, code in templates} == {
        "GM-GEN-2026", "GM-DUST-2026", "GM-NH3-2026", "GM-CS-2026", "HC-GEN-2026",
        "CN-GEN-2026", "OH-GEN-2026"}


def test_management_command_loads(capsys: Any) -> None:
    call_command("load_checklists")
    call_command("load_checklists")
    assert ChecklistTemplate.objects.count() == len(TEMPLATES)
    assert "7 templates" in capsys.readouterr().out


def test_each_template_has_8_to_30_items(checklists: dict[str, ChecklistTemplate]) -> None:
    # HC-GEN carries all twenty situations of 121号, hence up to 30 items.
    for template in checklists.values():
        assert 8 <= template.items.count() <= 30, template.code


def test_every_item_cites_a_law_and_an_article(checklists: dict[str, ChecklistTemplate]) -> None:
    items = list(ChecklistItem.objects.select_related("template"))
    assert items
    for item in items:
        # Independent of the statute copy: a law name and one article number.
        assert item.law.strip(), item
        assert ARTICLE.fullmatch(item.article), (item, item.article)
        # The citation names the version of the text it quotes: 《…》（2016）第十九条.
        assert item.law_version == LAWS[item.law]["version"]
        assert item.legal_basis == f"《{item.law}》（{item.law_version}）{item.article}"


def test_cited_articles_exist_and_say_what_the_item_checks() -> None:
    """Each article appears as a heading in its statute text, and the item's quoted phrase
    is found within that article's own text (so the item matches what it requires)."""
    assert all(item["law"] in LAW_FILES for t in TEMPLATES for item in t["items"])
    cache: dict[str, dict[str, str]] = {}
    checked = 0
    for template in TEMPLATES:
        for order, item in enumerate(template["items"], start=1):
            bodies = cache.setdefault(item["law"], article_bodies(item["law"]))
            where = f"{template['code']}-{order} 《{item['law']}》{item['article']}"
            assert item["article"] in bodies, where
            assert item["quote"] in bodies[item["article"]], where
            checked += 1
    assert checked == sum(len(t["items"]) for t in TEMPLATES)


def test_each_quote_is_the_operative_phrase_of_its_clause() -> None:
    """A quote identifies its clause: it occurs once in the whole law (not a generic phrase
    repeated in other articles or the penalty chapter), and a quote several items share
    is long enough to name the clause and always cites that same article."""
    users: dict[str, list[tuple[str, str, str]]] = {}
    for template in TEMPLATES:
        for order, item in enumerate(template["items"], start=1):
            text = (LAWS_DIR / LAW_FILES[item["law"]]).read_text(encoding="utf-8")
            where = f"{template['code']}-{order} 《{item['law']}》{item['article']}"
            assert text.count(item["quote"]) == 1, (where, item["quote"])
            users.setdefault(item["quote"], []).append((where, item["law"], item["article"]))
    for quote, cited in users.items():
        if len(cited) > 1:
            assert len(quote) >= 20, (quote, [w for w, _, _ in cited])
            assert len({(law, article) for _, law, article in cited}) == 1, cited


def test_corrected_citations() -> None:
    """Articles the review found wrong, re-based after reading the texts."""
    items = {(t["code"], n): i for t in TEMPLATES for n, i in enumerate(t["items"], 1)}
    # 安全生产法 第二十二条: "全员安全生产责任制应当明确各岗位的责任人员、责任范围和考核标准等
    # 内容" (第二十一条 lists the principal's duties, not the system's content).
    first = items[("GM-GEN-2026", 1)]
    assert (first["article"], first["quote"]) == (
        "第二十二条", "全员安全生产责任制应当明确各岗位的责任人员、责任范围和考核标准等内容")
    # HC-GEN: automation and emergency cut-off rest on 安全生产法 第三十九条 ("必须执行有关法律、
    # 法规和国家标准或者行业标准，建立专门的安全管理制度，采取可靠的安全措施"), not on 第三十六条
    # (switching devices off) or 浙江省安全生产条例（2016）第十六条 (monitoring).
    for text, criterion in (("重点监管危险化工工艺", "HC121-04"), ("紧急切断功能", "HC121-05")):
        found = [i for (code, _), i in items.items() if code == "HC-GEN-2026"
                 and text in i["text"]]
        assert [(i["law"], i["article"], i["major"]) for i in found] == [
            ("安全生产法", "第三十九条", [criterion])]
    # Ammonia detectors are safety equipment (安全生产法 第三十六条), not a 卫健 power
    # (职业病防治法 第二十五条).
    nh3 = [i for (code, _), i in items.items() if code == "GM-NH3-2026"]
    assert all(i["law"] != "职业病防治法" for i in nh3)
    detector = next(i for i in nh3 if "氨气浓度" in i["text"])
    assert (detector["law"], detector["article"]) == ("安全生产法", "第三十六条")


def test_superseded_texts_are_flagged_for_rebasing(
        checklists: dict[str, ChecklistTemplate]) -> None:
    """浙江省安全生产条例 (2016 text; revised text in force 2023-03-01) and 危险化学品安全管理条例
    (2013 text; 危险化学品安全法 in force 2026-05-01): every item citing them is flagged."""
    flagged = ChecklistItem.objects.exclude(rebase_note="")
    assert set(flagged.values_list("law", flat=True)) == {"浙江省安全生产条例",
                                                           "危险化学品安全管理条例"}
    zj = ChecklistItem.objects.filter(law="浙江省安全生产条例")
    assert zj.count() >= 17 and all(
        i.needs_rebasing and "2023-03-01" in i.rebase_note for i in zj)
    hc_items = ChecklistItem.objects.filter(law="危险化学品安全管理条例")
    assert hc_items and all("2026-05-01" in i.rebase_note for i in hc_items)
    assert not ChecklistItem.objects.filter(law="安全生产法").exclude(rebase_note="").exists()


def test_every_statute_text_in_law_files_is_in_the_repository() -> None:
    missing = [name for name in LAW_FILES.values() if not (LAWS_DIR / name).is_file()]
    if missing:
        pytest.fail(f"statute texts missing from {LAWS_DIR}: {', '.join(missing)}")


def test_major_hazard_items(checklists: dict[str, ChecklistTemplate]) -> None:
    def majors(code: str) -> list[ChecklistItem]:
        return [i for i in checklists[code].items.all() if i.is_major_hazard_item]

    assert majors("GM-GEN-2026") and majors("GM-DUST-2026") and majors("HC-GEN-2026")
    assert all(c.standard == "ling10"
               for code in ("GM-GEN-2026", "GM-DUST-2026", "GM-NH3-2026", "GM-CS-2026")
               for i in majors(code) for c in i.criteria.all())
    assert all(c.standard == "hc121" for i in majors("HC-GEN-2026") for c in i.criteria.all())
    special = "".join(i.major_hazard_criterion for i in majors("GM-NH3-2026"))
    assert "氨直接蒸发制冷" in special
    # The label shown is the criteria's: an item's major flag comes from its criteria rows.
    for i in ChecklistItem.objects.prefetch_related("criteria"):
        assert i.major_hazard_criterion == "\n".join(c.label for c in i.criteria.all())
    # Occupational health: every item of OH-GEN is flagged, and none is a 令10号 item.
    oh_items = list(checklists["OH-GEN-2026"].items.all())
    assert oh_items and all(i.occupational_health and not i.is_major_hazard_item
                            for i in oh_items)


# --- templates_for -----------------------------------------------------------------------

def codes(qs: Any) -> set[str]:
    return {t.code for t in qs}


def test_templates_for_machinery_with_dust(checklists: dict[str, ChecklistTemplate],
                                           reference_data: None) -> None:
    enterprise = make_enterprise(1, Sector.MACHINERY,
                                 special_operations=[SpecialOperation.DUST_EXPLOSION])
    chosen = codes(templates_for(enterprise))
    assert {"GM-GEN-2026", "GM-DUST-2026"} <= chosen
    assert chosen == {"GM-GEN-2026", "GM-DUST-2026", "OH-GEN-2026"}


def test_templates_for_other_sectors(checklists: dict[str, ChecklistTemplate],
                                     reference_data: None) -> None:
    food = make_enterprise(2, Sector.LIGHT_INDUSTRY, special_operations=[
        SpecialOperation.LIQUID_AMMONIA, SpecialOperation.CONFINED_SPACE])
    assert codes(templates_for(food)) == {"GM-GEN-2026", "GM-NH3-2026", "GM-CS-2026",
                                          "OH-GEN-2026"}
    chemicals = make_enterprise(3, Sector.HAZARDOUS_CHEMICALS)
    assert codes(templates_for(chemicals)) == {"HC-GEN-2026", "OH-GEN-2026"}
    # Construction gets occupational health only when it declares hazards.
    site = make_enterprise(4, Sector.CONSTRUCTION)
    assert codes(templates_for(site)) == {"CN-GEN-2026"}
    noisy_site = make_enterprise(5, Sector.CONSTRUCTION,
                                 occupational_hazards=[OccupationalHazard.NOISE])
    assert codes(templates_for(noisy_site)) == {"CN-GEN-2026", "OH-GEN-2026"}
    # An inactive template is never chosen.
    ChecklistTemplate.objects.filter(code="GM-DUST-2026").update(active=False)
    dusty = make_enterprise(6, Sector.TEXTILES,
                            special_operations=[SpecialOperation.DUST_EXPLOSION])
    assert codes(templates_for(dusty)) == {"GM-GEN-2026", "OH-GEN-2026"}


# --- checklist API and pages ---------------------------------------------------------------

def test_checklist_api_lists_and_nests_items(checklists: dict[str, ChecklistTemplate],
                                             api_as: Any, xihu_inspector: User,
                                             anonymous: Any) -> None:
    client = api_as(xihu_inspector)
    response = client.get("/api/v1/checklists/")
    assert response.status_code == 200, response.content
    rows = {r["code"]: r for r in response.json()["results"]}
    assert rows["GM-DUST-2026"]["item_count"] == checklists["GM-DUST-2026"].items.count()
    detail = client.get(f"/api/v1/checklists/{checklists['HC-GEN-2026'].pk}/").json()
    assert detail["items"][0]["order"] == 1
    assert detail["items"][0]["legal_basis"].startswith("《")
    assert any(i["is_major_hazard_item"] for i in detail["items"])
    # Read-only, and not for the anonymous.
    assert client.post("/api/v1/checklists/", {}, format="json").status_code in (403, 405)
    assert anonymous.get("/api/v1/checklists/").status_code in (401, 403)


def test_checklist_pages(checklists: dict[str, ChecklistTemplate], web_as: Any,
                         xihu_inspector: User) -> None:
    client = web_as(xihu_inspector)
    page = client.get("/checklists/")
    assert page.status_code == 200
    assert "粉尘涉爆企业专项检查表" in page.content.decode()
    detail = client.get(f"/checklists/{checklists['GM-DUST-2026'].pk}/").content.decode()
    assert "重大隐患" in detail and 'data-testid="major-badge"' in detail
    assert "《浙江省安全生产条例》（2016）第十九条" in detail
    assert "依据已修订，待核对" in detail and 'data-testid="rebase-badge"' in detail
    assert client.get("/checklists/999999/").status_code == 404


# --- scheme workflow (services and API) ----------------------------------------------------

def test_create_submit_approve_via_api(checklists: dict[str, ChecklistTemplate], api_as: Any,
                                       xihu_inspector: User, xihu_inspector2: User,
                                       xihu_chief: User) -> None:
    author = api_as(xihu_inspector)
    created = author.post(API, scheme_payload(checklists, [xihu_inspector, xihu_inspector2]),
                          format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["authority"] == "EM-330106"
    assert {t["code"] for t in body["templates"]} == {"GM-GEN-2026", "GM-DUST-2026"}
    pk = body["id"]

    patched = author.patch(f"{API}{pk}/", {"focus": "除尘系统泄爆、隔爆措施"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["focus"] == "除尘系统泄爆、隔爆措施"

    submitted = author.post(f"{API}{pk}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"

    approved = api_as(xihu_chief).post(f"{API}{pk}/approve/", {"comment": "同意"},
                                       format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    scheme = InspectionScheme.objects.get(pk=pk)
    assert scheme.approved_by == xihu_chief and scheme.approved_at is not None

    actions = list(AuditEvent.objects.filter(object_type="inspections.inspectionscheme",
                                             object_id=str(pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["inspection_scheme.created", "inspection_scheme.updated",
                       "inspection_scheme.submitted", "inspection_scheme.approved"]
    # Listed for the author's authority.
    listed = author.get(API).json()["results"]
    assert [r["id"] for r in listed] == [pk]


STEPS = {
    "submit": InspectionScheme.Status.SUBMITTED,
    "approve": InspectionScheme.Status.APPROVED,
    "return": InspectionScheme.Status.DRAFT,
}


@pytest.mark.parametrize("start", list(InspectionScheme.Status.values))
@pytest.mark.parametrize("step", list(STEPS))
def test_transition_table(start: str, step: str, draft: InspectionScheme, api_as: Any,
                          xihu_chief2: User) -> None:
    """Every (status, step) pair: allowed by SCHEME_TRANSITIONS → 200, else 409."""
    InspectionScheme.objects.filter(pk=draft.pk).update(status=start)
    # The second chief did not write the scheme, so only the table decides.
    response = api_as(xihu_chief2).post(f"{API}{draft.pk}/{step}/",
                                        {"reason": "检查重点不明确，请补充"}, format="json")
    draft.refresh_from_db()
    if STEPS[step] in SCHEME_TRANSITIONS[start]:
        assert response.status_code == 200, response.content
        assert draft.status == STEPS[step]
    else:
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["code"] == "illegal_transition"
        assert_chinese(body["detail"])
        assert body["detail_en"]
        assert draft.status == start


def test_update_only_in_draft(draft: InspectionScheme, api_as: Any,
                              xihu_inspector: User) -> None:
    client = api_as(xihu_inspector)
    assert client.post(f"{API}{draft.pk}/submit/").status_code == 200
    response = client.patch(f"{API}{draft.pk}/", {"title": "改名"}, format="json")
    assert response.status_code == 409
    assert_chinese(response.json()["detail"])
    assert client.delete(f"{API}{draft.pk}/").status_code == 409
    draft.refresh_from_db()
    assert draft.title != "改名"


def test_author_cannot_approve_own_scheme(checklists: dict[str, ChecklistTemplate],
                                          api_as: Any, xihu_chief: User, xihu_chief2: User,
                                          xihu_inspector: User) -> None:
    """403, not 409: the state allows approval, this actor does not (four-eyes rule)."""
    scheme = schemes.create_scheme(service_data(checklists, [xihu_chief, xihu_inspector]),
                                   actor=xihu_chief)
    schemes.submit_scheme(scheme, actor=xihu_chief)
    own = api_as(xihu_chief).post(f"{API}{scheme.pk}/approve/")
    assert own.status_code == 403, own.content
    assert own.json()["code"] == "author_cannot_approve"
    assert_chinese(own.json()["detail"])
    scheme.refresh_from_db()
    assert scheme.status == InspectionScheme.Status.SUBMITTED
    other = api_as(xihu_chief2).post(f"{API}{scheme.pk}/approve/")
    assert other.status_code == 200, other.content


def test_inspector_cannot_approve_or_return(draft: InspectionScheme, api_as: Any,
                                            xihu_inspector: User,
                                            xihu_inspector2: User) -> None:
    schemes.submit_scheme(draft, actor=xihu_inspector)
    client = api_as(xihu_inspector2)
    assert client.post(f"{API}{draft.pk}/approve/").status_code == 403
    assert client.post(f"{API}{draft.pk}/return/", {"reason": "x"},
                       format="json").status_code == 403
    # The service refuses too, whoever calls it.
    with pytest.raises(Forbidden):
        schemes.approve_scheme(draft, actor=xihu_inspector2)
    draft.refresh_from_db()
    assert draft.status == InspectionScheme.Status.SUBMITTED


def test_return_needs_a_reason(draft: InspectionScheme, api_as: Any, xihu_inspector: User,
                               xihu_chief: User) -> None:
    schemes.submit_scheme(draft, actor=xihu_inspector)
    client = api_as(xihu_chief)
    blank = client.post(f"{API}{draft.pk}/return/", {"reason": "  "}, format="json")
    assert blank.status_code == 400
    assert_chinese(blank.json()["detail"])
    returned = client.post(f"{API}{draft.pk}/return/", {"reason": "请补充检查区域"},
                           format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    event = AuditEvent.objects.filter(action="inspection_scheme.returned").get()
    assert event.reason == "请补充检查区域"


def test_outsider_gets_404(draft: InspectionScheme, api_as: Any, web_as: Any,
                           binjiang_inspector: User) -> None:
    client = api_as(binjiang_inspector)
    assert client.get(f"{API}{draft.pk}/").status_code == 404
    assert client.post(f"{API}{draft.pk}/submit/").status_code == 404
    assert client.patch(f"{API}{draft.pk}/", {"title": "x"}, format="json").status_code == 404
    assert client.get(API).json()["results"] == []
    pages = web_as(binjiang_inspector)
    assert pages.get(f"/schemes/{draft.pk}/").status_code == 404
    assert pages.post(f"/schemes/{draft.pk}/submit/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == InspectionScheme.Status.DRAFT


def test_outsider_chief_gets_404_on_approve(draft: InspectionScheme, api_as: Any,
                                            xihu_inspector: User) -> None:
    schemes.submit_scheme(draft, actor=xihu_inspector)
    binjiang_chief = make_staff("t_binjiang_chief", Role.SECTION_CHIEF, "EM-330108",
                                cert="T330108102")
    assert api_as(binjiang_chief).post(f"{API}{draft.pk}/approve/").status_code == 404


def test_district_chief_approves_street_scheme(checklists: dict[str, ChecklistTemplate],
                                               xihu_chief: User) -> None:
    """A section chief of the district bureau approves a street office's scheme; the
    street's own staff cannot approve a district scheme (its jurisdiction is smaller)."""
    street = "ST-330106002"
    a = make_staff("t_street_a", Role.INSPECTOR, street, cert="T330106201")
    b = make_staff("t_street_b", Role.INSPECTOR, street, cert="T330106202")
    street_chief = make_staff("t_street_chief", Role.SECTION_CHIEF, street, cert="T330106203")
    scheme = schemes.create_scheme(service_data(checklists, [a, b]), actor=a)
    assert scheme.authority.code == street
    schemes.submit_scheme(scheme, actor=a)
    schemes.approve_scheme(scheme, actor=xihu_chief)
    scheme.refresh_from_db()
    assert scheme.status == InspectionScheme.Status.APPROVED

    district = schemes.create_scheme(
        service_data(checklists, [a, b], authority=Authority.objects.get(code="EM-330106")),
        actor=xihu_chief)
    schemes.submit_scheme(district, actor=xihu_chief)
    # Out of the street chief's scope: not found.
    with pytest.raises(Http404):
        schemes.approve_scheme(district, actor=street_chief)


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["end_before_start", "no_template", "one_certified",
                                  "expired_certificate", "missing_title",
                                  "outsider_in_team"])
def test_bad_input_is_400_in_chinese_without_partial_write(
        case: str, checklists: dict[str, ChecklistTemplate], api_as: Any,
        xihu_inspector: User, xihu_inspector2: User, binjiang_inspector: User) -> None:
    uncertified = make_staff("t_uncertified", Role.INSPECTOR, "EM-330106")
    expiring = make_staff("t_expiring", Role.INSPECTOR, "EM-330106", cert="T330106301",
                          cert_until=START + datetime.timedelta(days=3))
    team = [xihu_inspector, xihu_inspector2]
    cases: dict[str, dict[str, Any]] = {
        "end_before_start": {"start_date": "2026-12-10", "end_date": "2026-12-01"},
        "no_template": {"templates": []},
        "one_certified": {"team": [xihu_inspector.pk, uncertified.pk]},
        "expired_certificate": {"team": [xihu_inspector.pk, expiring.pk]},
        "missing_title": {"title": ""},
        "outsider_in_team": {"team": [xihu_inspector.pk, binjiang_inspector.pk]},
    }
    overrides = cases[case]
    schemes_before = InspectionScheme.objects.count()
    events_before = AuditEvent.objects.count()
    response = api_as(xihu_inspector).post(API, scheme_payload(checklists, team, **overrides),
                                           format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert_chinese(body["detail"])
    assert body["detail_en"]
    assert InspectionScheme.objects.count() == schemes_before
    assert AuditEvent.objects.count() == events_before
    assert not InspectionScheme.team.through.objects.exists()
    assert not InspectionScheme.templates.through.objects.exists()


def test_bad_update_leaves_scheme_unchanged(draft: InspectionScheme, api_as: Any,
                                            xihu_inspector: User) -> None:
    before = (draft.title, draft.end_date, sorted(draft.team.values_list("pk", flat=True)))
    response = api_as(xihu_inspector).patch(
        f"{API}{draft.pk}/", {"title": "新名称", "team": [xihu_inspector.pk]}, format="json")
    assert response.status_code == 400
    assert "执法" in response.json()["detail"]
    draft.refresh_from_db()
    assert (draft.title, draft.end_date,
            sorted(draft.team.values_list("pk", flat=True))) == before


def test_auditor_reads_but_cannot_write(draft: InspectionScheme, api_as: Any,
                                        checklists: dict[str, ChecklistTemplate],
                                        xihu_inspector: User, xihu_inspector2: User) -> None:
    auditor = make_staff("t_auditor", Role.AUDITOR, "EM-330106")
    client = api_as(auditor)
    assert client.get(f"{API}{draft.pk}/").status_code == 200
    response = client.post(API, scheme_payload(checklists, [xihu_inspector, xihu_inspector2]),
                           format="json")
    assert response.status_code == 403


# --- scheme pages ----------------------------------------------------------------------------

def test_scheme_pages_create_submit_approve(checklists: dict[str, ChecklistTemplate],
                                            web_as: Any, xihu_inspector: User,
                                            xihu_inspector2: User, xihu_chief: User) -> None:
    client = web_as(xihu_inspector)
    form = client.get("/schemes/new/")
    assert form.status_code == 200 and "检查组成员" in form.content.decode()

    bad = client.post("/schemes/new/", {
        **scheme_payload(checklists, [xihu_inspector, xihu_inspector2]),
        "start_date": "2026-12-10", "end_date": "2026-12-01"})
    assert bad.status_code == 400
    assert "结束日期不能早于开始日期" in bad.content.decode()
    assert not InspectionScheme.objects.exists()

    created = client.post("/schemes/new/",
                          scheme_payload(checklists, [xihu_inspector, xihu_inspector2]))
    assert created.status_code == 302, created.content.decode()[:2000]
    scheme = InspectionScheme.objects.get()
    detail = client.get(f"/schemes/{scheme.pk}/").content.decode()
    assert 'data-testid="submit-scheme"' in detail
    assert 'data-testid="approve-scheme"' not in detail
    assert client.post(f"/schemes/{scheme.pk}/submit/").status_code == 302
    # An inspector has no approve button and is refused on POST.
    assert 'data-testid="approve-scheme"' not in client.get(
        f"/schemes/{scheme.pk}/").content.decode()
    assert client.post(f"/schemes/{scheme.pk}/approve/").status_code == 403

    chief = web_as(xihu_chief)
    page = chief.get(f"/schemes/{scheme.pk}/").content.decode()
    assert 'data-testid="approve-scheme"' in page and 'data-testid="return-scheme"' in page
    assert chief.post(f"/schemes/{scheme.pk}/approve/").status_code == 302
    scheme.refresh_from_db()
    assert scheme.status == InspectionScheme.Status.APPROVED
    listing = chief.get("/schemes/?status=approved").content.decode()
    assert scheme.title in listing


def test_scheme_page_illegal_step_shows_message(draft: InspectionScheme, web_as: Any,
                                                xihu_chief: User) -> None:
    client = web_as(xihu_chief)
    response = client.post(f"/schemes/{draft.pk}/approve/", follow=True)
    assert response.status_code == 200
    assert "不能变更为" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == InspectionScheme.Status.DRAFT


def test_lists_cost_a_fixed_number_of_queries(checklists: dict[str, ChecklistTemplate],
                                              api_as: Any, web_as: Any,
                                              xihu_inspector: User, xihu_inspector2: User,
                                              django_assert_max_num_queries: Any) -> None:
    for n in range(5):
        schemes.create_scheme(service_data(checklists, [xihu_inspector, xihu_inspector2],
                                           title=f"方案{n}"), actor=xihu_inspector)
    client = api_as(xihu_inspector)
    with django_assert_max_num_queries(8):
        response = client.get(API)
    assert len(response.json()["results"]) == 5
    pages = web_as(xihu_inspector)
    with django_assert_max_num_queries(12):
        assert pages.get("/schemes/").status_code == 200
    with django_assert_max_num_queries(12):
        assert pages.get("/checklists/").status_code == 200
    with django_assert_max_num_queries(12):
        assert pages.get(f"/checklists/{checklists['GM-GEN-2026'].pk}/").status_code == 200
