"""Scoping: a user sees only their authority's jurisdiction; outsiders get 404."""

from __future__ import annotations

import pytest

from hangzhou_safety.accounts.models import Authority, Jurisdiction, User

pytestmark = pytest.mark.django_db


def test_reference_tree_is_complete(reference_data):
    assert Jurisdiction.objects.filter(kind="district").count() == 13
    codes = set(Jurisdiction.objects.filter(kind="district").values_list("code", flat=True))
    assert {"330113", "330114", "330106", "330108"} <= codes
    assert not codes & {"330103", "330104"}  # retired in 2021
    xihu = Jurisdiction.objects.get(code="330106")
    assert xihu.children.count() >= 12
    assert all(j.path.startswith("330100/330106/") for j in xihu.children.all())
    zone = Jurisdiction.objects.get(name="西湖风景名胜区")
    assert zone.kind == "zone" and zone.parent.code == "330100"
    # Every district and street has an enforcing authority; partner departments exist.
    enforcing = Authority.objects.filter(enforces_safety=True)
    assert enforcing.filter(kind="district_bureau").count() == 13
    assert enforcing.filter(kind="street_office").count() == Jurisdiction.objects.filter(
        kind__in=["street", "town", "township"]).count()
    assert set(Authority.objects.filter(kind="partner_department")
               .values_list("department", flat=True)) == {"housing", "market", "fire", "health"}


def test_visible_to_scopes_querysets(xihu_inspector, binjiang_inspector, municipal_admin):
    xihu_nodes = Jurisdiction.objects.visible_to(xihu_inspector)
    assert xihu_nodes.filter(code="330106").exists()
    assert not xihu_nodes.filter(code="330108").exists()
    assert not xihu_nodes.filter(code="330100").exists()
    assert Jurisdiction.objects.visible_to(municipal_admin).count() == Jurisdiction.objects.count()
    assert set(User.objects.visible_to(binjiang_inspector)) == {binjiang_inspector}
    assert Authority.objects.visible_to(xihu_inspector).filter(code="EM-330108").count() == 0


def test_inactive_or_unassigned_user_sees_nothing(xihu_inspector):
    xihu_inspector.is_active = False
    assert Jurisdiction.objects.visible_to(xihu_inspector).count() == 0
    loose = User(username="loose", role="inspector")
    assert Jurisdiction.objects.visible_to(loose).count() == 0


def test_outsider_gets_404_on_xihu_object_through_api(api_as, binjiang_inspector,
                                                      xihu_inspector):
    xihu_authority = Authority.objects.get(code="EM-330106")
    outsider = api_as(binjiang_inspector)
    for url in ["/api/v1/jurisdictions/330106/", "/api/v1/jurisdictions/330106002/",
                f"/api/v1/authorities/{xihu_authority.pk}/"]:
        response = outsider.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
        assert "辖区" in response.json()["detail"]
        assert response.json()["detail_en"]
        assert api_as(xihu_inspector).get(url).status_code == 200, url


def test_outsider_gets_404_on_xihu_object_through_pages(web_as, binjiang_inspector,
                                                        xihu_inspector, client):
    response = web_as(binjiang_inspector).get("/jurisdictions/330106/")
    assert response.status_code == 404
    assert "不在您的辖区范围内" in response.content.decode()
    client.logout()
    response = web_as(xihu_inspector).get("/jurisdictions/330106/")
    assert response.status_code == 200
    assert "西湖区" in response.content.decode()


def test_jurisdiction_list_is_scoped(api_as, binjiang_inspector, municipal_admin):
    codes = {row["code"] for row in api_as(binjiang_inspector).get(
        "/api/v1/jurisdictions/").json()}
    assert "330108" in codes and "330106" not in codes and "330100" not in codes
    assert len(api_as(municipal_admin).get("/api/v1/jurisdictions/").json()) == \
        Jurisdiction.objects.count()


def test_missing_role_is_403(api_as, xihu_inspector, xihu_chief, binjiang_inspector):
    response = api_as(xihu_inspector).get("/api/v1/users/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"] == "您的角色无权执行此操作。"
    response = api_as(xihu_chief).get("/api/v1/users/")
    assert response.status_code == 200
    usernames = {u["username"] for u in response.json()["results"]}
    assert usernames == {"p_xihu_chief", "p_xihu_inspector"}  # not the 滨江区 inspector


def test_anonymous_is_401(anonymous):
    response = anonymous.get("/api/v1/jurisdictions/")
    assert response.status_code == 401
    assert response.json()["detail"] == "未登录或未提供身份凭证。"


def test_pages_need_login(client):
    response = client.get("/jurisdictions/")
    assert response.status_code == 302 and "/login/" in response["Location"]
