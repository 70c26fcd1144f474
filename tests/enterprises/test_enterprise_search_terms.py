"""A one-character search is refused with a clear message (it has no index)."""

import pytest

from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("term", ["化", " 化 ", "9"])
def test_the_api_refuses_one_character_with_the_error_body(api_as, xihu_inspector, term):
    response = api_as(xihu_inspector).get("/api/v1/enterprises/", {"search": term})
    assert response.status_code == 400
    body = response.json()
    assert "两个字" in str(body)
    assert body.get("detail_en") or body.get("code")


def test_the_page_says_why_and_shows_nothing_guessed(web_as, xihu_inspector):
    from tests.enterprises.test_enterprise_api import make_enterprise

    make_enterprise("单字搜索测试化工企业", 903)
    page = web_as(xihu_inspector).get("/enterprises/", {"search": "化"}).content.decode()
    assert "请至少输入两个字" in page
    assert "单字搜索测试化工企业" not in page
    assert Enterprise.objects.filter(name="单字搜索测试化工企业").exists()


def test_two_characters_still_search(api_as, xihu_inspector):
    from tests.enterprises.test_enterprise_api import make_enterprise

    target = make_enterprise("双字搜索测试化工企业", 904)
    rows = api_as(xihu_inspector).get("/api/v1/enterprises/", {"search": "化工"}).json()
    assert target.id in [row["id"] for row in rows["results"]]
