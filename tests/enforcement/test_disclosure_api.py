"""The disclosure API and pages: scoped by jurisdiction, steps as POSTs (409 before
review), the review page side by side with the masked spans marked, the portal's
selector showing the public version only (zero personal numbers), and the publication
periods edited by the municipal administrator only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from enforcement.disclosure.models import Disclosure, PublicationPeriod
from enforcement.disclosure.rules import seed_publication_periods
from enforcement.disclosure.selectors import published_disclosures
from hangzhou_safety.accounts.models import Role
from tests.conftest import make_user
from tests.enforcement.disclosure_helpers import opened, personal_numbers
from tests.enforcement.test_disclosure_masking import facts

pytestmark = pytest.mark.django_db
API = "/api/v1/disclosures/"
DS = Disclosure.Status


def test_list_and_detail_are_scoped(case_world: dict[str, Any], api_as: Any,
                                    binjiang_inspector: Any) -> None:
    row = opened()
    listed = api_as(case_world["inspector"]).get(API, {"status": "pending"})
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [row.pk]
    assert api_as(binjiang_inspector).get(API).json()["results"] == []
    assert api_as(binjiang_inspector).get(f"{API}{row.pk}/").status_code == 404
    assert api_as(binjiang_inspector).post(f"{API}{row.pk}/publish/").status_code == 404


def test_the_steps_over_the_api(case_world: dict[str, Any], api_as: Any) -> None:
    row = opened(facts=facts(), person=True)
    officer, chief = api_as(case_world["inspector"]), api_as(case_world["chief"])
    refused = officer.post(f"{API}{row.pk}/publish/")
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    assert officer.post(f"{API}{row.pk}/submit/", {"names": ["张某"]},
                        format="json").status_code == 200
    assert officer.post(f"{API}{row.pk}/publish/").status_code == 409
    assert officer.post(f"{API}{row.pk}/approve/", {"severity": "ordinary"},
                        format="json").status_code == 403
    assert chief.post(f"{API}{row.pk}/approve/", {"severity": "bogus"},
                      format="json").status_code == 400
    approved = chief.post(f"{API}{row.pk}/approve/", {"severity": "serious", "months": 12},
                          format="json")
    assert approved.status_code == 200 and approved.json()["publication_months"] == 12
    published = officer.post(f"{API}{row.pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == DS.PUBLISHED
    objection = officer.post(f"{API}{row.pk}/objection/", {"text": "金额有误"}, format="json")
    assert objection.status_code == 200
    objection_id = objection.json()["objections"][0]["id"]
    answered = officer.post(f"{API}{row.pk}/answer-objection/",
                            {"objection": objection_id, "answer": "经核实无误"}, format="json")
    assert answered.status_code == 200
    assert answered.json()["objections"][0]["timeliness"] == "on_time"
    # What the portal will show: the public version only, without personal numbers.
    shown = published_disclosures().get(pk=row.pk)
    assert personal_numbers(shown.public_text) == []
    assert personal_numbers(shown.party_name) == []


def test_an_auditor_reads_but_does_not_write(case_world: dict[str, Any], api_as: Any) -> None:
    auditor = make_user("p_disc_auditor", Role.AUDITOR, "EM-330106")
    row = opened()
    assert api_as(auditor).get(f"{API}{row.pk}/").status_code == 200
    assert api_as(auditor).post(f"{API}{row.pk}/submit/", {}, format="json").status_code == 403


def test_the_review_page_shows_both_versions_with_marks(case_world: dict[str, Any],
                                                        web_as: Any) -> None:
    row = opened(facts=facts(), person=True)
    client = web_as(case_world["inspector"])
    page = client.get(reverse("enforcement:disclosure_detail", args=[row.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="original-text"' in html and 'data-testid="public-text"' in html
    assert html.count("<mark") == 2 * len(row.masks) and row.masks
    public = html.split('data-testid="public-text"')[1].split("</div>")[0]
    assert personal_numbers(public) == []
    response = client.post(reverse("enforcement:disclosure_step", args=[row.pk, "submit"]),
                           {"names": "", "phrases": ""})
    assert response.status_code == 302
    assert Disclosure.objects.get(pk=row.pk).status == DS.IN_REVIEW
    client.post(reverse("enforcement:disclosure_step", args=[row.pk, "publish"]))
    assert Disclosure.objects.get(pk=row.pk).status == DS.IN_REVIEW  # refused: not reviewed
    listing = client.get(reverse("enforcement:disclosure_list"), {"status": "in_review"})
    assert listing.status_code == 200 and row.party_name in listing.content.decode()
    case_page = client.get(reverse("enforcement:case_detail", args=[row.case_id]))
    assert reverse("enforcement:disclosure_detail", args=[row.pk]) in case_page.content.decode()


def test_publication_periods_are_the_municipal_administrators(
        client: Any, reference_data: None) -> None:
    seed_publication_periods()  # the migration's seed (a transactional test may flush it)
    assert set(PublicationPeriod.objects.values_list("severity", flat=True)) == {
        "minor", "ordinary", "serious"}
    url = reverse("admin:enforcement_publicationperiod_changelist")
    admin = make_user("p_role_admin", Role.MUNICIPAL_ADMIN, "EM-330100", is_staff=True)
    client.force_login(admin)
    assert client.get(url).status_code == 200
    chief = make_user("p_staff_chief", Role.SECTION_CHIEF, "EM-330106", is_staff=True)
    client.force_login(chief)
    assert client.get(url).status_code == 403
