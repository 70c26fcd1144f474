"""The numbering data is edited in the admin by the municipal administrator only."""

from __future__ import annotations

from typing import Any

from hangzhou_safety.documents.models import AuthorityNumbering
from hangzhou_safety.documents.numbering import numbering_for


def test_municipal_admin_edits_an_abbreviation(web_as: Any, municipal_admin: Any,
                                               xihu: Any) -> None:
    row = numbering_for(xihu)
    client = web_as(municipal_admin)
    url = f"/admin/documents/authoritynumbering/{row.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "杭西" in page.content.decode()
    saved = client.post(url, {"authority": xihu.pk, "abbreviation": "西湖",
                              "pattern": row.pattern, "review_body": "杭州市西湖区人民政府",
                              "court": "", "source": "区局文书规范（示例）"})
    assert saved.status_code == 302, saved.content.decode()[:500]
    assert AuthorityNumbering.objects.get(pk=row.pk).abbreviation == "西湖"
    assert client.get("/admin/documents/documenttype/").status_code == 200


def test_a_district_user_cannot(web_as: Any, xihu_chief: Any, xihu: Any) -> None:
    from hangzhou_safety.accounts.models import User

    User.objects.filter(pk=xihu_chief.pk).update(is_staff=True)
    row = numbering_for(xihu)
    client = web_as(User.objects.get(pk=xihu_chief.pk))
    response = client.get(f"/admin/documents/authoritynumbering/{row.pk}/change/")
    assert response.status_code in (302, 403, 404)
    assert AuthorityNumbering.objects.get(pk=row.pk).abbreviation == "杭西"
