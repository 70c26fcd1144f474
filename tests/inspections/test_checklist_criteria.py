"""Major-hidden-danger criteria of the checklists (令10号, 121号) against the texts in
docs/laws/, the split of items bundling a criterion with ordinary duties, the
inspector's statement of the criterion when recording a failure, and templates by
remit (安全生产法 第十条)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists.criteria import (
    CRITERIA,
    CRITERIA_BY_CODE,
    HC121_ITEMS,
    NOT_RETRIEVED,
    STANDARDS,
    UNVERIFIED,
    VERIFIED,
)
from inspections.checklists.data import TEMPLATES
from inspections.checklists.remit import departments_of, within_remit
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import ChecklistItem, ChecklistTemplate, Hazard, Inspection
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db

LAWS_DIR = Path(__file__).resolve().parents[2] / "docs" / "laws"
ITEMS = {(t["code"], n): i for t in TEMPLATES for n, i in enumerate(t["items"], start=1)}


def standard_text(standard: str) -> str:
    return (LAWS_DIR / STANDARDS[standard][1]).read_text(encoding="utf-8")


def unbracketed(text: str) -> str:
    """The copy without its unverified completions ([...] and [NOT RETRIEVED] notes)."""
    return re.sub(r"\[[^\]]*\]", "", text)


def items_with(code: str) -> list[tuple[str, int]]:
    return [key for key, i in ITEMS.items() if code in i["major"]]


# --- the criteria rows against the texts ----------------------------------------------

def test_verified_criteria_are_copied_from_the_text() -> None:
    """A criterion marked verified is found word for word in the docs/laws/ copy outside
    its bracketed, unverified parts; the others say why they are not verified."""
    for criterion in CRITERIA:
        where = criterion["code"]
        if criterion["status"] == VERIFIED:
            source = unbracketed(standard_text(criterion["standard"]))
            assert criterion["text"] and criterion["text"] in source, where
        elif criterion["status"] == UNVERIFIED:
            assert criterion["note"], where
        else:
            assert criterion["status"] == NOT_RETRIEVED and not criterion["text"], where
            assert "不得凭记忆" in criterion["note"], where


def test_unverified_texts_are_never_presented_as_verified(db: Any) -> None:
    # 第十四条 is recorded from memory in the docs/laws copy ("[UNVERIFIED, from memory"),
    # the tails of 第十一条（九）（十） and 第十三条（二） are bracketed completions.
    assert "UNVERIFIED, from memory" in standard_text("ling10")
    for code in ("L10-14", "L10-11-9", "L10-11-10", "L10-13-2", "L10-10-1"):
        assert CRITERIA_BY_CODE[code]["status"] == UNVERIFIED, code
    # 第五、八、九条 and the rest of 第四、七条 are not in any source here: rows to be
    # completed from the official text, visible to the administrator.
    missing = {c["clause"] for c in CRITERIA if c["status"] == NOT_RETRIEVED}
    assert {"第五条（有色企业）各项", "第八条（轻工企业）各项", "第九条（纺织企业）各项",
            "第四条（五）及以后各项", "第七条（三）及以后各项"} == missing
    load_checklist_templates()
    from inspections.models import MajorHazardCriterion
    row = MajorHazardCriterion.objects.get(code="L10-14")
    assert "文本待核对" in row.label


def test_article_11_item_4_follows_the_official_text() -> None:
    """令10号 第十一条（四）: "铝镁等金属粉尘除尘系统采用正压除尘方式，或者其他可燃性粉尘除尘系统
    采用正压吹送粉尘时，未采取火花探测消除等防范点燃源措施的" — Al/Mg positive-pressure
    removal is major on its own (the old item wanted positive pressure AND no spark
    detection), and （五） is an item of its own."""
    text = standard_text("ling10")
    official = ("（四）铝镁等金属粉尘除尘系统采用正压除尘方式，或者其他可燃性粉尘除尘系统采用正压"
                "吹送粉尘时，未采取火花探测消除等防范点燃源措施的；")
    assert official in text
    assert CRITERIA_BY_CODE["L10-11-4"]["text"] + "；" == official.removeprefix("（四）")
    assert CRITERIA_BY_CODE["L10-11-5"]["text"] == ("除尘系统采用重力沉降室除尘，或者"
        "采用干式巷道式构筑物作为除尘风道的")
    (four,) = items_with("L10-11-4")
    (five,) = items_with("L10-11-5")
    assert four != five
    assert "L10-11-5" not in ITEMS[four]["major"] and "L10-11-4" not in ITEMS[five]["major"]
    assert "正压除尘方式" in ITEMS[four]["text"] and "其他可燃性粉尘" in ITEMS[four]["text"]
    assert "重力沉降室" in ITEMS[five]["text"] and "正压" not in ITEMS[five]["text"]


def test_every_dust_criterion_has_its_item() -> None:
    for n in range(1, 11):
        assert items_with(f"L10-11-{n}"), n


def test_bundled_items_are_split() -> None:
    """Only the criterion situation is major: GM-GEN-4 (general competence of any 工贸 firm
    vs metallurgy's 第三条（三）) and GM-GEN-13 (安全生产法 第四十九条 accepts clauses in the
    contract: "或者在承包合同、租赁合同中约定各自的安全生产管理职责"; a missing agreement is a
    第一百零三条 matter) are two items each."""
    competence = [k for k, i in ITEMS.items() if k[0] == "GM-GEN-2026"
                  and i["article"] == "第二十七条"]
    assert [ITEMS[k]["major"] for k in competence] == [[], ["L10-3-3"]]
    assert "金属冶炼" in ITEMS[competence[1]]["text"]
    assert "金属冶炼" not in ITEMS[competence[0]]["text"]
    contractors = [k for k, i in ITEMS.items() if k[0] == "GM-GEN-2026"
                   and i["article"] == "第四十九条"]
    assert [ITEMS[k]["major"] for k in contractors] == [[], ["L10-3-1"]]
    assert "协议" in ITEMS[contractors[0]]["text"] and "合同中约定" in ITEMS[contractors[0]]["text"]
    assert "协议" not in ITEMS[contractors[1]]["text"]
    # 第十三条（一） needs both failures ("…台账，并且未设置明显的安全警示标志的"): the duty
    # item is ordinary, the criterion has its own item.
    (both,) = items_with("L10-13-1")
    assert "既未" in ITEMS[both]["text"] and "又未" in ITEMS[both]["text"]
    # No criterion item asks about an ordinary duty it used to bundle.
    for key in (items_with("HC121-15") + items_with("HC121-18") + items_with("HC121-12")
                + items_with("HC121-20") + items_with("L10-11-7") + items_with("L10-11-10")):
        text = ITEMS[key]["text"]
        assert "维护" not in text and "专门人员" not in text and "双人" not in text, key


def test_all_twenty_items_of_121_are_checked() -> None:
    """121号's 20 items (added: 三、六、七、八、九、十、十一、十三、十四、十七、十九), each
    quoted from the text: e.g. 六 "全压力式液化烃储罐未按国家标准设置注水措施"."""
    text = standard_text("hc121")
    for n, (number, situation) in enumerate(HC121_ITEMS.items(), start=1):
        assert f"{number}、{situation}。" in text, number
        assert items_with(f"HC121-{n:02d}"), number
    assert len(HC121_ITEMS) == 20


DEVICE_WORDS = ("报警装置", "报警仪器", "探测", "卸灰装置", "去除装置", "防控装置", "泄氨装置")


def test_article_14_on_every_device_item() -> None:
    """令10号 第十四条 (failed monitoring, alarm or protective devices; text to be verified)
    is a criterion of every 工贸 item checking such a device."""
    devices = {k for k, i in ITEMS.items() if k[0].startswith("GM-")
               and any(word in i["text"] for word in DEVICE_WORDS)}
    assert devices and set(items_with("L10-14")) == devices


# --- recording a failure: the inspector names the criterion ----------------------------

@pytest.fixture
def xihu_inspector2(reference_data: None) -> Any:
    from tests.conftest import make_user

    return make_user("c_xihu_inspector2", "inspector", "EM-330106", cert="C330106003",
                     full_name="西湖执法员二")


@pytest.fixture
def started(reference_data: None, calendar_data: None, xihu_inspector: Any,
            xihu_inspector2: Any) -> Inspection:
    load_checklist_templates()
    factory = enterprise("杭州西湖判定测试机械有限公司", 731, sector=Sector.MACHINERY,
                         special_operations=[SpecialOperation.DUST_EXPLOSION,
                                             SpecialOperation.CONFINED_SPACE])
    inspection = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                        inspectors=[xihu_inspector, xihu_inspector2],
                                        source=Inspection.Source.AD_HOC,
                                        planned_date=datetime.date(2026, 9, 24))
    return loop.start_inspection(inspection, actor=xihu_inspector)


def find_item(inspection: Inspection, *, criteria: int, code: str = "") -> Any:
    for item in inspection.items.select_related("checklist_item").order_by("order"):
        codes = set(item.checklist_item.criteria.values_list("code", flat=True))
        if len(codes) == criteria and (not code or code in codes):
            return item
    raise AssertionError("no such item")


def classified(inspection: Inspection) -> AuditEvent:
    return AuditEvent.objects.filter(action="hazard.classified").order_by("-id").first()


def test_single_criterion_failure_is_major_under_it(started: Inspection,
                                                    xihu_inspector: Any) -> None:
    item = find_item(started, criteria=1, code="L10-11-5")
    loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant",
                       note="采用重力沉降室除尘")
    hazard = Hazard.objects.get(item=item)
    assert hazard.is_major and hazard.major_criterion.startswith("应急管理部令第10号第十一条（五）")
    event = classified(started)
    assert event.new_values["criterion"] == "L10-11-5" and not event.new_values["override"]


def test_several_criteria_need_the_inspector_to_name_one(started: Inspection,
                                                         xihu_inspector: Any) -> None:
    item = find_item(started, criteria=2, code="L10-11-4")
    with pytest.raises(InvalidInput) as exc:
        loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant")
    assert "请选择适用的情形" in exc.value.detail
    assert not Hazard.objects.filter(item=item).exists()
    with pytest.raises(InvalidInput):
        loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant",
                           hazard={"is_major": True, "criterion": "L10-3-1"})
    loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant",
                       hazard={"criterion": "L10-11-4", "description": "铝粉除尘正压"})
    hazard = Hazard.objects.get(item=item)
    assert hazard.is_major and "第十一条（四）" in hazard.major_criterion


def test_overriding_the_classification_needs_a_reason_kept_in_the_audit_trail(
        started: Inspection, xihu_inspector: Any) -> None:
    major_item = find_item(started, criteria=1, code="L10-11-1")
    with pytest.raises(InvalidInput) as exc:
        loop.record_answer(started, major_item.pk, actor=xihu_inspector,
                           result="non_compliant", hazard={"is_major": False})
    assert "须说明理由" in exc.value.detail
    loop.record_answer(started, major_item.pk, actor=xihu_inspector, result="non_compliant",
                       hazard={"is_major": False,
                               "major_reason": "人员聚集场所已于检查前腾空，仅存放杂物"})
    hazard = Hazard.objects.get(item=major_item)
    assert not hazard.is_major and hazard.major_criterion == ""
    event = classified(started)
    assert event.new_values["override"] and event.reason.startswith("人员聚集场所已于")

    plain = find_item(started, criteria=0)
    with pytest.raises(InvalidInput):
        loop.record_answer(started, plain.pk, actor=xihu_inspector, result="non_compliant",
                           hazard={"is_major": True})
    loop.record_answer(started, plain.pk, actor=xihu_inspector, result="non_compliant",
                       hazard={"is_major": True, "major_reason": "需全部停产方能整改"})
    assert Hazard.objects.get(item=plain).is_major
    assert classified(started).reason == "需全部停产方能整改"


def test_answer_api_takes_the_criterion(started: Inspection, xihu_inspector: Any,
                                        api_as: Any) -> None:
    item = find_item(started, criteria=2, code="L10-11-6")
    url = f"/api/v1/inspections/{started.pk}/items/{item.pk}/answer/"
    client = api_as(xihu_inspector)
    refused = client.post(url, {"result": "non_compliant"}, format="json")
    assert refused.status_code == 400, refused.content
    ok = client.post(url, {"result": "non_compliant",
                           "hazard": {"criterion": "L10-14", "description": "卸灰阀损坏"}},
                     format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["hazard"]["is_major"] is True
    assert Hazard.objects.get(item=item).major_criterion.startswith("应急管理部令第10号第十四条")


# --- templates by remit ----------------------------------------------------------------------

def test_remit_is_data_on_the_templates(db: Any) -> None:
    """安全生产法 第十条: 住房和城乡建设 and other departments supervise "在各自的职责范围内"."""
    load_checklist_templates()
    remits = dict(ChecklistTemplate.objects.values_list("code", "remit"))
    assert remits["CN-GEN-2026"] == "housing" and remits["OH-GEN-2026"] == "health"
    assert {remits[c] for c in ("GM-GEN-2026", "GM-DUST-2026", "HC-GEN-2026")} == {"emergency"}


def test_an_emergency_inspection_gets_other_remits_only_jointly(
        reference_data: None, calendar_data: None, xihu_inspector: Any,
        xihu_inspector2: Any) -> None:
    load_checklist_templates()
    factory = enterprise("杭州西湖联合检查机械有限公司", 732, sector=Sector.MACHINERY,
                         special_operations=[SpecialOperation.DUST_EXPLOSION])

    def codes(**extra: Any) -> set[str]:
        inspection = loop.create_inspection(
            actor=xihu_inspector, enterprise=factory,
            inspectors=[xihu_inspector, xihu_inspector2], source=Inspection.Source.AD_HOC,
            planned_date=datetime.date(2026, 9, 24), **extra)
        return set(inspection.items.values_list("checklist_item__template__code", flat=True))

    assert codes() == {"GM-GEN-2026", "GM-DUST-2026"}
    # The notice's integrated safety and occupational-health inspection (clause 十三):
    # jointly with an officer of the health authority.
    joint = codes(partner_officers=[{"name": "卫监员", "department": "西湖区卫生健康局"}])
    assert joint == {"GM-GEN-2026", "GM-DUST-2026", "OH-GEN-2026"}
    # A fire officer does not bring the health template.
    assert codes(partner_officers=[{"name": "周消防", "department": "西湖区消防救援大队"}]) \
        == {"GM-GEN-2026", "GM-DUST-2026"}


def test_construction_template_is_housing_remit(db: Any) -> None:
    load_checklist_templates()
    from hangzhou_safety.accounts.models import Authority

    templates = list(ChecklistTemplate.objects.order_by("code"))
    emergency = Authority(department=Authority.Department.EMERGENCY)
    housing = Authority(department=Authority.Department.HOUSING)
    assert "CN-GEN-2026" not in {t.code for t in within_remit(templates, emergency)}
    assert "CN-GEN-2026" in {t.code for t in within_remit(
        templates, emergency, [{"department": "西湖区住房和城乡建设局"}])}
    assert {t.code for t in within_remit(templates, housing)} == {"CN-GEN-2026"}
    assert departments_of([{"department": "杭州市卫健委"}]) == {"health"}


# --- the re-basing page ----------------------------------------------------------------------

def test_rebasing_page_lists_what_needs_rebasing_and_why(web_as: Any, municipal_admin: Any,
                                                         xihu_inspector: Any) -> None:
    load_checklist_templates()
    page = web_as(municipal_admin).get("/checklists/rebasing/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "《浙江省安全生产条例》（2016）" in body and "2023-03-01" in body
    assert "《危险化学品安全管理条例》（2013）" in body and "2026-05-01" in body
    flagged = ChecklistItem.objects.exclude(rebase_note="").count()
    assert body.count('data-testid="rebase-item"') == flagged
    assert "L10-14" in body and "待依官方文本补全" in body
    # An inspector sees the flag on the items, not the maintenance page.
    assert web_as(xihu_inspector).get("/checklists/rebasing/").status_code == 403


def test_checklist_api_names_criteria_versions_and_rebasing(api_as: Any,
                                                            xihu_inspector: Any) -> None:
    load_checklist_templates()
    dust = ChecklistTemplate.objects.get(code="GM-DUST-2026")
    body = api_as(xihu_inspector).get(f"/api/v1/checklists/{dust.pk}/").json()
    four = next(i for i in body["items"] if any(c["code"] == "L10-11-4" for c in i["criteria"]))
    assert {c["code"] for c in four["criteria"]} == {"L10-11-4", "L10-14"}
    assert {c["code"]: c["status"] for c in four["criteria"]} == {
        "L10-11-4": "verified", "L10-14": "unverified"}
    assert four["legal_basis"] == "《浙江省安全生产条例》（2016）第十九条"
    assert four["needs_rebasing"] and "2023-03-01" in four["rebase_note"]
    assert body["remit"] == "emergency"


def test_a_criterion_noted_from_memory_applies_only_when_named(started: Inspection,
                                                              xihu_inspector: Any) -> None:
    """令10号 第十四条 is "[UNVERIFIED, from memory" in docs/laws: an item whose only
    criterion it is (gas detectors of confined-space work) is not classified major by
    default; named by the inspector, the hazard records it as 文本待核对."""
    item = next(i for i in started.items.select_related("checklist_item").order_by("order")
                if list(i.checklist_item.criteria.values_list("code", flat=True)) == ["L10-14"])
    loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant")
    assert not Hazard.objects.get(item=item).is_major
    loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant",
                       hazard={"criterion": "L10-14"})
    hazard = Hazard.objects.get(item=item)
    assert hazard.is_major and "文本待核对" in hazard.major_criterion


def test_the_page_card_names_the_criterion_of_a_several_criteria_item(
        started: Inspection, xihu_inspector: Any, web_as: Any) -> None:
    item = find_item(started, criteria=2, code="L10-11-4")
    client = web_as(xihu_inspector)
    page = client.get(f"/inspections/{started.pk}/").content.decode()
    card = page[page.index(f'id="item-{item.pk}"'):][:6000]
    assert 'data-testid="criterion-select"' in card and "L10-11-4" in card
    url = f"/inspections/{started.pk}/items/{item.pk}/answer/"
    refused = client.post(url, {"result": "non_compliant"}, HTTP_HX_REQUEST="true")
    assert "请选择适用的情形" in refused.content.decode()
    assert not Hazard.objects.filter(item=item).exists()
    saved = client.post(url, {"result": "non_compliant", "criterion": "L10-11-4",
                              "note": "铝粉除尘系统正压吹送"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="saved"' in saved.content.decode()
    assert "第十一条（四）" in Hazard.objects.get(item=item).major_criterion
    # "None applies" needs the reason, and the reason is kept in the audit trail.
    other = find_item(started, criteria=2, code="L10-11-6")
    url = f"/inspections/{started.pk}/items/{other.pk}/answer/"
    assert "须说明理由" in client.post(url, {"result": "non_compliant", "criterion": "none"},
                                       HTTP_HX_REQUEST="true").content.decode()
    client.post(url, {"result": "non_compliant", "criterion": "none", "note": "卸灰阀锈蚀",
                      "major_reason": "除尘系统已停用待拆除"}, HTTP_HX_REQUEST="true")
    assert not Hazard.objects.get(item=other).is_major
    assert classified(started).reason == "除尘系统已停用待拆除"


def test_editing_the_note_later_keeps_the_named_criterion(started: Inspection,
                                                          xihu_inspector: Any) -> None:
    """A page reloaded after the failure was classified posts the note alone: the note
    is saved and the classification stays as the inspector named it."""
    item = find_item(started, criteria=2, code="L10-11-4")
    loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant",
                       note="铝粉除尘正压", hazard={"criterion": "L10-11-4"})
    events = AuditEvent.objects.filter(action="hazard.classified").count()
    loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant",
                       note="铝粉除尘系统采用正压吹送")
    hazard = Hazard.objects.get(item=item)
    assert hazard.description == "铝粉除尘系统采用正压吹送"
    assert hazard.is_major and "第十一条（四）" in hazard.major_criterion
    assert AuditEvent.objects.filter(action="hazard.classified").count() == events
