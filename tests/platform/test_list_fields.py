"""The per-row-cheap list fields give what get_FOO_display() and the nested shape gave."""

import pytest
from django.utils import translation

from enterprises.models import Sector
from hangzhou_safety.api.fields import ChoiceLabelField, CodeNameField, choice_label


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """The English requests below leave the LocaleMiddleware's language active in this
    thread; later tests expect the default (Chinese) labels."""
    yield
    translation.deactivate()


def test_labels_follow_the_active_language():
    with translation.override("zh-hans"):
        chinese = choice_label(Sector, Sector.HAZARDOUS_CHEMICALS)
    with translation.override("en"):
        english = choice_label(Sector, Sector.HAZARDOUS_CHEMICALS)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert chinese != english and english.isascii() and english


@pytest.mark.parametrize(("value", "shown"), [("no_such_sector", "no_such_sector"),
                                              ("", ""), (None, "")])
def test_a_value_outside_the_choices_shows_as_itself(value, shown):
    assert choice_label(Sector, value) == shown


def test_fields_are_read_only():
    assert ChoiceLabelField(Sector, source="sector").read_only
    assert CodeNameField().read_only


@pytest.mark.django_db
def test_list_rows_carry_the_same_labels_as_the_detail(api_as, xihu_inspector):
    from tests.enterprises.test_enterprise_api import make_enterprise

    enterprise = make_enterprise("标签一致测试企业", 901)
    client = api_as(xihu_inspector)
    for language in ("zh-hans", "en"):
        rows = client.get("/api/v1/enterprises/", HTTP_ACCEPT_LANGUAGE=language).json()
        row = next(r for r in rows["results"] if r["id"] == enterprise.id)
        detail = client.get(f"/api/v1/enterprises/{enterprise.id}/",
                            HTTP_ACCEPT_LANGUAGE=language).json()
        for key in ("status_display", "sector_display", "risk_level_display",
                    "supervision_basis_display", "location", "district",
                    "supervising_authority"):
            assert row[key] == detail[key], (language, key)
        with translation.override(language):
            assert row["sector_display"] == enterprise.get_sector_display()


@pytest.mark.django_db
def test_registry_cards_show_labels_in_the_page_language(web_as, xihu_inspector):
    from enterprises.models import Enterprise, RiskLevel
    from tests.enterprises.test_enterprise_api import make_enterprise

    enterprise = make_enterprise("卡片标签测试企业", 902, sector=Sector.HAZARDOUS_CHEMICALS)
    Enterprise.objects.filter(pk=enterprise.pk).update(
        risk_level=RiskLevel.ORANGE, status=Enterprise.Status.SUSPENDED)
    client = web_as(xihu_inspector)
    for language in ("zh-hans", "en"):
        page = client.get("/enterprises/", HTTP_ACCEPT_LANGUAGE=language,
                          HTTP_HX_REQUEST="true").content.decode()
        card = page[page.index("卡片标签测试企业"):][:1500]
        with translation.override(language):
            for label in (RiskLevel.ORANGE.label, Sector.HAZARDOUS_CHEMICALS.label,
                          Enterprise.Status.SUSPENDED.label):
                assert str(label) in card, (language, label)
        assert f'href="/enterprises/{enterprise.pk}/"' in page
