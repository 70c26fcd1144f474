"""Inspection schemes: separation of duties and who may change a draft.

- Whoever wrote or changed a scheme (created, edited or submitted it; read from the
  audit trail plus created_by) never approves it.
- Only its author, or a section chief of the scheme's own authority, edits, submits or
  deletes a draft; the chief's edit is in the audit trail.
- Every status change goes through the one transition primitive with the existing
  audit action names.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists import services as schemes
from inspections.checklists.models import ChecklistTemplate, InspectionScheme
from inspections.checklists.templates import load_checklist_templates

pytestmark = pytest.mark.django_db

API = "/api/v1/schemes/"
CERT_UNTIL = datetime.date(2030, 12, 31)


def staff(username: str, role: str, authority_code: str = "EM-330106") -> User:
    user = User(username=username, full_name=username, role=role,
                authority=Authority.objects.get(code=authority_code),
                certificate_number=f"C-{username}",
                certificate_valid_until=CERT_UNTIL)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def templates(db: Any) -> list[ChecklistTemplate]:
    load_checklist_templates()
    return list(ChecklistTemplate.objects.filter(code__in=["GM-GEN-2026", "GM-DUST-2026"]))


@pytest.fixture
def inspector2(reference_data: None) -> User:
    return staff("sa_inspector2", Role.INSPECTOR)


@pytest.fixture
def chief2(reference_data: None) -> User:
    return staff("sa_chief2", Role.SECTION_CHIEF)


def payload(templates: list[ChecklistTemplate], team: list[User], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "2026年12月粉尘涉爆企业专项检查方案", "area": "北山街道辖区",
        "content": "粉尘防爆安全管理", "focus": "除尘系统", "start_date": "2026-12-01",
        "end_date": "2026-12-15", "templates": [t.pk for t in templates],
        "team": [u.pk for u in team]}
    data.update(extra)
    return data


def events(scheme_pk: int) -> list[tuple[str, int | None]]:
    return list(AuditEvent.objects.filter(object_type="inspections.inspectionscheme",
                                          object_id=str(scheme_pk))
                .order_by("id").values_list("action", "actor_id"))


def test_chief_who_edited_a_scheme_cannot_approve_it(
        templates: list[ChecklistTemplate], api_as: Any, xihu_inspector: User,
        inspector2: User, xihu_chief: User, chief2: User) -> None:
    """Regression: an inspector writes, a chief edits, the inspector submits; the chief
    who edited it is one of its authors, so approving is 403 (not the author's name on
    created_by alone)."""
    author = api_as(xihu_inspector)
    pk = author.post(API, payload(templates, [xihu_inspector, inspector2]),
                     format="json").json()["id"]
    edited = api_as(xihu_chief).patch(f"{API}{pk}/", {"focus": "除尘系统泄爆、隔爆"},
                                      format="json")
    assert edited.status_code == 200, edited.content
    assert author.post(f"{API}{pk}/submit/").status_code == 200

    refused = api_as(xihu_chief).post(f"{API}{pk}/approve/", {"comment": "同意"},
                                      format="json")
    assert refused.status_code == 403, refused.content
    body = refused.json()
    assert body["code"] == "author_cannot_approve"
    assert "审批" in body["detail"] and body["detail_en"]
    scheme = InspectionScheme.objects.get(pk=pk)
    assert scheme.status == InspectionScheme.Status.SUBMITTED and scheme.approved_by is None
    assert ("inspection_scheme.approved", xihu_chief.pk) not in events(pk)
    # The page offers no approve button to that chief either.
    assert schemes.can_approve(scheme, xihu_chief) is False

    # A chief who never touched it approves.
    approved = api_as(chief2).post(f"{API}{pk}/approve/", {"comment": "同意"}, format="json")
    assert approved.status_code == 200, approved.content
    assert events(pk) == [("inspection_scheme.created", xihu_inspector.pk),
                          ("inspection_scheme.updated", xihu_chief.pk),
                          ("inspection_scheme.submitted", xihu_inspector.pk),
                          ("inspection_scheme.approved", chief2.pk)]


def test_chief_who_submitted_a_scheme_cannot_approve_it(
        templates: list[ChecklistTemplate], xihu_inspector: User, inspector2: User,
        xihu_chief: User, chief2: User) -> None:
    scheme = schemes.create_scheme(
        {**payload(templates, [xihu_inspector, inspector2]),
         "start_date": datetime.date(2026, 12, 1), "end_date": datetime.date(2026, 12, 15)},
        actor=xihu_inspector)
    schemes.submit_scheme(scheme, actor=xihu_chief)
    with pytest.raises(schemes.Forbidden) as refused:
        schemes.approve_scheme(scheme, actor=xihu_chief)
    assert refused.value.code == "author_cannot_approve"
    assert schemes.scheme_authors(scheme) == {xihu_inspector.pk, xihu_chief.pk}
    # A return and a re-submission by the author do not wash the chief's authorship off.
    schemes.return_scheme(scheme, actor=chief2, reason="请补充检查重点")
    schemes.submit_scheme(scheme, actor=xihu_inspector)
    with pytest.raises(schemes.Forbidden):
        schemes.approve_scheme(scheme, actor=xihu_chief)
    assert schemes.approve_scheme(scheme, actor=chief2).status == "approved"


def test_colleague_cannot_edit_or_delete_someone_elses_draft(
        templates: list[ChecklistTemplate], api_as: Any, xihu_inspector: User,
        inspector2: User) -> None:
    """Regression: any writer could edit or delete a colleague's draft."""
    pk = api_as(xihu_inspector).post(API, payload(templates, [xihu_inspector, inspector2]),
                                     format="json").json()["id"]
    before = events(pk)
    colleague = api_as(inspector2)
    edited = colleague.patch(f"{API}{pk}/", {"title": "同事改的标题"}, format="json")
    assert edited.status_code == 403, edited.content
    assert edited.json()["code"] == "not_scheme_author"
    assert "编制人" in edited.json()["detail"]
    assert colleague.put(f"{API}{pk}/", payload(templates, [xihu_inspector, inspector2],
                                                title="整体替换"),
                         format="json").status_code == 403
    deleted = colleague.delete(f"{API}{pk}/")
    assert deleted.status_code == 403, deleted.content
    assert colleague.post(f"{API}{pk}/submit/").status_code == 403
    scheme = InspectionScheme.objects.get(pk=pk)
    assert scheme.title == "2026年12月粉尘涉爆企业专项检查方案"
    assert scheme.status == InspectionScheme.Status.DRAFT
    assert events(pk) == before
    # A district approver of the same authority is a writer, but not the author's chief.
    approver = api_as(staff("sa_approver", Role.DISTRICT_APPROVER))
    assert approver.delete(f"{API}{pk}/").status_code == 403
    assert InspectionScheme.objects.filter(pk=pk).exists()


def test_section_chief_of_the_authority_edits_and_deletes_with_audit(
        templates: list[ChecklistTemplate], api_as: Any, xihu_inspector: User,
        inspector2: User, xihu_chief: User) -> None:
    author = api_as(xihu_inspector)
    pk = author.post(API, payload(templates, [xihu_inspector, inspector2]),
                     format="json").json()["id"]
    chief = api_as(xihu_chief)
    edited = chief.patch(f"{API}{pk}/", {"title": "科长修改后的标题"}, format="json")
    assert edited.status_code == 200, edited.content
    update = AuditEvent.objects.get(action="inspection_scheme.updated", object_id=str(pk))
    assert update.actor_id == xihu_chief.pk
    assert update.new_values == {"title": "科长修改后的标题"}
    assert chief.delete(f"{API}{pk}/").status_code == 204
    assert not InspectionScheme.objects.filter(pk=pk).exists()
    deletion = AuditEvent.objects.get(action="inspection_scheme.deleted", object_id=str(pk))
    assert deletion.actor_id == xihu_chief.pk
    # The author may delete their own draft.
    own = author.post(API, payload(templates, [xihu_inspector, inspector2]),
                      format="json").json()["id"]
    assert author.delete(f"{API}{own}/").status_code == 204


def test_chief_of_another_authority_cannot_edit_a_street_draft(
        templates: list[ChecklistTemplate], xihu_chief: User) -> None:
    """The district chief reviews a street's scheme, but the draft is the street's to
    write: only a chief of the scheme's own authority edits it."""
    street = "ST-330106002"
    a = staff("sa_street_a", Role.INSPECTOR, street)
    b = staff("sa_street_b", Role.INSPECTOR, street)
    scheme = schemes.create_scheme(
        {**payload(templates, [a, b]), "start_date": datetime.date(2026, 12, 1),
         "end_date": datetime.date(2026, 12, 15)}, actor=a)
    with pytest.raises(schemes.Forbidden):
        schemes.update_scheme(scheme, {"title": "区局改"}, actor=xihu_chief)
    with pytest.raises(schemes.Forbidden):
        schemes.delete_scheme(scheme, actor=xihu_chief)
    scheme.refresh_from_db()
    assert scheme.title != "区局改"


def test_pages_hide_edit_and_refuse_colleagues(
        templates: list[ChecklistTemplate], web_as: Any, xihu_inspector: User,
        inspector2: User, xihu_chief: User) -> None:
    scheme = schemes.create_scheme(
        {**payload(templates, [xihu_inspector, inspector2]),
         "start_date": datetime.date(2026, 12, 1), "end_date": datetime.date(2026, 12, 15)},
        actor=xihu_inspector)
    client = web_as(inspector2)
    detail = client.get(f"/schemes/{scheme.pk}/").content.decode()
    assert 'data-testid="submit-scheme"' not in detail
    assert client.get(f"/schemes/{scheme.pk}/edit/").status_code == 403
    assert client.post(f"/schemes/{scheme.pk}/submit/").status_code == 403
    scheme.refresh_from_db()
    assert scheme.status == InspectionScheme.Status.DRAFT


def test_status_changes_use_the_transition_primitive(
        templates: list[ChecklistTemplate], xihu_inspector: User, inspector2: User,
        xihu_chief: User) -> None:
    """The audit events carry the workflow's id key and the old and new status."""
    scheme = schemes.create_scheme(
        {**payload(templates, [xihu_inspector, inspector2]),
         "start_date": datetime.date(2026, 12, 1), "end_date": datetime.date(2026, 12, 15)},
        actor=xihu_inspector)
    schemes.submit_scheme(scheme, actor=xihu_inspector)
    schemes.return_scheme(scheme, actor=xihu_chief, reason="请补充")
    schemes.submit_scheme(scheme, actor=xihu_inspector)
    schemes.approve_scheme(scheme, actor=xihu_chief, comment="同意")
    rows = list(AuditEvent.objects.filter(object_id=str(scheme.pk),
                                          object_type="inspections.inspectionscheme")
                .exclude(action="inspection_scheme.created").order_by("id")
                .values_list("action", "old_values", "new_values", "reason"))
    assert rows == [
        ("inspection_scheme.submitted", {"status": "draft"},
         {"status": "submitted", "scheme": scheme.pk}, ""),
        ("inspection_scheme.returned", {"status": "submitted"},
         {"status": "draft", "scheme": scheme.pk}, "请补充"),
        ("inspection_scheme.submitted", {"status": "draft"},
         {"status": "submitted", "scheme": scheme.pk}, ""),
        ("inspection_scheme.approved", {"status": "submitted"},
         {"status": "approved", "scheme": scheme.pk}, "同意"),
    ]
    scheme.refresh_from_db()
    assert scheme.approved_by == xihu_chief and scheme.approved_at is not None
