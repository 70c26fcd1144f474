"""Who reads and who maintains the discretion table: API, staff page, admin."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from enforcement.grounds import services
from enforcement.grounds.models import DiscretionBenchmark, DiscretionVersion
from enforcement.grounds.selectors import version_in_force
from hangzhou_safety.accounts.models import Role
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("discretion_data")]

VIOLATIONS = "/api/v1/grounds/violations/"
BENCHMARKS = "/api/v1/grounds/benchmarks/"
VERSIONS = "/api/v1/grounds/versions/"
S = DiscretionVersion.Status
ON = datetime.date(2026, 12, 1)


@pytest.fixture
def role_admin(reference_data: None):
    """A municipal administrator by role alone (not a superuser)."""
    return make_user("p_role_admin", Role.MUNICIPAL_ADMIN, "EM-330100", is_staff=True)


@pytest.fixture
def draft(municipal_admin) -> DiscretionVersion:
    return services.new_draft_from(actor=municipal_admin, name="草稿",
                                   valid_from=datetime.date(2027, 1, 1))


# --- API ----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [VIOLATIONS, BENCHMARKS, VERSIONS])
def test_anonymous_gets_401(anonymous, url: str) -> None:
    response = anonymous.get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated" and response.json()["detail_en"]


def test_staff_read_the_violations_in_force_page_by_page(api_as, xihu_inspector) -> None:
    client = api_as(xihu_inspector)
    first = client.get(VIOLATIONS, {"page_size": 20}).json()
    assert [v["code"] for v in first["results"]][:2] == ["AQ-094", "AQ-096"]
    assert first["results"][0]["penalty_article"] == "第九十四条第一款"
    assert first["next"] and len(first["results"]) == 20
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 15 and second["next"] is None
    assert second["results"][-1]["code"] == "AQ-109"


def test_benchmarks_of_one_violation(api_as, xihu_chief) -> None:
    response = api_as(xihu_chief).get(BENCHMARKS, {"violation": "AQ-097-1"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["level"] for r in rows] == ["minor", "general", "serious", "severe"]
    general = rows[1]
    assert (general["unit_fine_min"], general["unit_fine_max"]) == ("20000.00", "60000.00")
    assert general["illustrative"] is True and general["level_label"] == "一般"
    assert rows[3]["person_kind"] == "directly_responsible"
    assert rows[3]["other_penalties"] == ["suspend_for_rectification"]
    assert rows[3]["version"] == version_in_force(ON).pk


def test_a_version_filter_reads_that_version(api_as, xihu_inspector, municipal_admin,
                                             draft) -> None:
    services.publish_version(draft, actor=municipal_admin)
    old = DiscretionVersion.objects.exclude(pk=draft.pk).get()
    response = api_as(xihu_inspector).get(BENCHMARKS, {"violation": "AQ-094",
                                                       "version": old.pk})
    assert {r["version"] for r in response.json()["results"]} == {old.pk}


@pytest.mark.parametrize("version", ["abc", "999999", "-1", "9" * 30])
def test_a_bad_version_is_400(api_as, xihu_inspector, version: str) -> None:
    response = api_as(xihu_inspector).get(VIOLATIONS, {"version": version})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "version" in response.json()["errors"]


def test_drafts_are_for_the_administrator_only(api_as, xihu_inspector, municipal_admin,
                                               draft) -> None:
    assert api_as(xihu_inspector).get(VIOLATIONS, {"version": draft.pk}).status_code == 400
    assert draft.pk not in [v["id"] for v in api_as(xihu_inspector).get(VERSIONS)
                            .json()["results"]]
    response = api_as(municipal_admin).get(VIOLATIONS, {"version": draft.pk})
    assert response.status_code == 200 and response.json()["results"][0]["version"] == draft.pk


def test_a_bad_cursor_is_400(api_as, xihu_inspector) -> None:
    response = api_as(xihu_inspector).get(BENCHMARKS, {"cursor": "cD1hYmM="})  # p=abc
    assert response.status_code == 400


@pytest.mark.parametrize("url", [VIOLATIONS, BENCHMARKS])
def test_the_api_has_no_write_route(api_as, municipal_admin, xihu_inspector, url: str) -> None:
    before = DiscretionBenchmark.objects.count()
    for user in (municipal_admin, xihu_inspector):
        response = api_as(user).post(url, {"code": "X"}, format="json")
        assert response.status_code in (403, 405)
    assert DiscretionBenchmark.objects.count() == before


def test_the_schema_documents_the_routes_and_their_errors(django_db_blocker: Any,
                                                          tmp_path: Any) -> None:
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    for url in (VIOLATIONS, BENCHMARKS):
        responses = schema["paths"][url]["get"]["responses"]
        assert {"200", "400", "401", "403"} <= set(responses)
    params = {p["name"] for p in schema["paths"][BENCHMARKS]["get"]["parameters"]}
    assert {"violation", "version", "cursor"} <= params


# --- Staff page ---------------------------------------------------------------------

def test_the_page_lists_the_version_in_force_with_its_rows(web_as, xihu_inspector) -> None:
    response = web_as(xihu_inspector).get(reverse("enforcement:discretion_table"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "AQ-094" in html and "安全生产法第九十四条第一款" in html and "示意" in html
    # A table from 576 px up, stacked cards below it, for every row shown.
    assert html.count('data-testid="violation-card"') == 10
    assert html.count('data-testid="benchmark-row"') == html.count(
        'data-testid="benchmark-card"') == 40
    assert "d-none d-sm-table" in html and 'class="d-sm-none"' in html
    assert 'data-testid="next-page"' in html and "style=" not in html


def test_the_page_goes_on_in_table_order(web_as, xihu_inspector) -> None:
    client = web_as(xihu_inspector)
    first = client.get(reverse("enforcement:discretion_table"))
    last_id = first.context["violations"][-1].pk
    second = client.get(reverse("enforcement:discretion_table"), {"after": last_id})
    codes = [v.code for v in second.context["violations"]]
    assert codes[0] == "AQ-098-2" and "AQ-094" not in codes


def test_the_page_needs_a_login_and_hides_drafts(client, web_as, xihu_inspector, draft) -> None:
    url = reverse("enforcement:discretion_table")
    assert client.get(url).status_code == 302
    assert web_as(xihu_inspector).get(url, {"version": draft.pk}).status_code == 404


# --- Admin --------------------------------------------------------------------------

def test_only_the_municipal_administrator_opens_the_admin(client, role_admin,
                                                          reference_data) -> None:
    url = reverse("admin:enforcement_discretionversion_changelist")
    client.force_login(role_admin)
    assert client.get(url).status_code == 200
    chief = make_user("p_staff_chief", Role.SECTION_CHIEF, "EM-330106", is_staff=True)
    client.force_login(chief)
    assert client.get(url).status_code == 403


def test_a_published_version_opens_read_only_and_refuses_a_post(client, role_admin) -> None:
    version = version_in_force(ON)
    client.force_login(role_admin)
    url = reverse("admin:enforcement_discretionversion_change", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(url, {"name": "改名", "valid_from": "2021-09-01", "source": "x"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name.endswith("示意版）")


def test_the_administrator_drafts_and_publishes_from_the_admin(client, role_admin) -> None:
    source = version_in_force(ON)
    client.force_login(role_admin)
    url = reverse("admin:enforcement_discretionversion_changelist")
    client.post(url, {"action": "new_draft", "_selected_action": [source.pk]})
    draft = DiscretionVersion.objects.get(status=S.DRAFT)
    assert draft.based_on == source and draft.violations.count() == 35
    edit = reverse("admin:enforcement_discretionversion_change", args=[draft.pk])
    assert 'name="_save"' in client.get(edit).content.decode()
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.published_by == role_admin
