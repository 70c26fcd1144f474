"""The draw, directory, item-list, conflict and scheme pages are keyset-paginated
(newest first, ?before=<id>, the next-page partial) instead of cut at 100."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.web.pagination import DEFAULT_PAGE_SIZE
from inspections.checklists.models import InspectionScheme
from inspections.draws import services as draws
from inspections.draws import views as draw_views
from inspections.models import (
    ChecklistTemplate,
    ConflictDeclaration,
    DrawItemList,
    ObjectDirectory,
    RandomDraw,
)
from tests.enterprises.test_enterprise_core import enterprise
from tests.inspections.test_draws import make_staff

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'data-testid="next-page" href="\?(?:[^"]*&amp;)?before=(\d+)"')


def pages(client: Any, url: str) -> list[str]:
    """Every page of a list, following the next-page links."""
    html = client.get(url).content.decode()
    seen = [html]
    while (match := NEXT.search(html)) is not None:
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}before={match.group(1)}")
        assert response.status_code == 200
        html = response.content.decode()
        seen.append(html)
        assert len(seen) < 10
    return seen


@pytest.fixture
def xihu(reference_data: None) -> Authority:
    return Authority.objects.get(code="EM-330106")


def test_draw_list_is_paginated(xihu: Authority, xihu_chief: User, web_as: Any) -> None:
    for i in range(3):
        make_staff(f"pg_insp_{i}", Role.INSPECTOR, "EM-330106", cert=f"PG3301060{i:02d}")
    for i in range(4):
        enterprise(f"分页抽取企业{i}", 1300 + i)
    template = ChecklistTemplate.objects.create(code="T-PG-1", name="通用检查表")
    directory = draws.create_object_directory(xihu_chief, "名录", {})
    item_list = draws.create_item_list(xihu_chief, "事项", [template])
    first = draws.perform_draw(xihu_chief, directory, item_list, 2026, 5, 2, seed="p")
    clone = {f.attname: getattr(first, f.attname) for f in RandomDraw._meta.concrete_fields
             if f.attname != "id"}
    RandomDraw.objects.bulk_create([RandomDraw(**clone) for _ in range(DEFAULT_PAGE_SIZE)])
    every = pages(web_as(xihu_chief), "/draws/")
    assert len(every) == 2
    assert f'href="/draws/{first.pk}/"' not in every[0]
    assert f'href="/draws/{first.pk}/"' in every[1]
    newest = RandomDraw.objects.order_by("-id").first()
    assert newest is not None and f'href="/draws/{newest.pk}/"' in every[0]
    rows = [int(pk) for page in every for pk in re.findall(r'<td><a href="/draws/(\d+)/">', page)]
    assert len(rows) == len(set(rows)) == DEFAULT_PAGE_SIZE + 1
    assert rows == sorted(rows, reverse=True)


def test_directories_and_item_lists_are_paginated(xihu: Authority, xihu_chief: User,
                                                  web_as: Any) -> None:
    size = draw_views.DIRECTORY_PAGE_SIZE
    ObjectDirectory.objects.bulk_create([
        ObjectDirectory(authority=xihu, name=f"分页名录{i:03d}") for i in range(size + 2)])
    DrawItemList.objects.bulk_create([
        DrawItemList(authority=xihu, name=f"分页事项{i:03d}")
        for i in range(DEFAULT_PAGE_SIZE + 2)])
    client = web_as(xihu_chief)
    directories = pages(client, "/draws/directories/")
    assert len(directories) == 2
    assert "分页名录000" in directories[1] and "分页名录000" not in directories[0]
    assert f"分页名录{size + 1:03d}" in directories[0]
    assert sum(p.count('data-testid="directory-row"') for p in directories) == size + 2
    item_lists = pages(client, "/draws/item-lists/")
    assert len(item_lists) == 2
    assert sum(p.count('data-testid="item-list-row"') for p in item_lists) \
        == DEFAULT_PAGE_SIZE + 2
    assert "分页事项000" in item_lists[1]


def test_conflicts_are_paginated(xihu: Authority, xihu_chief: User, web_as: Any) -> None:
    inspector = make_staff("pg_conflicted", Role.INSPECTOR, "EM-330106", cert="PG330106099")
    units = [enterprise(f"分页回避企业{i:03d}", 1400 + i) for i in range(DEFAULT_PAGE_SIZE + 1)]
    ConflictDeclaration.objects.bulk_create([
        ConflictDeclaration(inspector=inspector, enterprise=u, reason="亲属任职") for u in units])
    every = pages(web_as(xihu_chief), "/draws/conflicts/")
    assert len(every) == 2
    assert sum(p.count('data-testid="conflict-row"') for p in every) == DEFAULT_PAGE_SIZE + 1
    assert units[0].name in every[1] and units[-1].name in every[0]


def test_schemes_are_paginated(xihu: Authority, xihu_inspector: User, web_as: Any) -> None:
    InspectionScheme.objects.bulk_create([
        InspectionScheme(authority=xihu, title=f"分页方案{i:03d}", area="区域", content="内容",
                         focus="重点", start_date=datetime.date(2026, 12, 1),
                         end_date=datetime.date(2026, 12, 2), created_by=xihu_inspector)
        for i in range(DEFAULT_PAGE_SIZE + 1)])
    client = web_as(xihu_inspector)
    every = pages(client, "/schemes/?status=draft")
    assert len(every) == 2
    assert sum(p.count('data-testid="scheme-card"') for p in every) == DEFAULT_PAGE_SIZE + 1
    assert "分页方案000" in every[1] and "分页方案000" not in every[0]
    # The status filter travels with the next-page link.
    assert "status=draft&amp;before=" in every[0]
