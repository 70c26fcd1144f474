"""Who may read the trail: jurisdiction scoping, the API and the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.test import RequestFactory
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role, User
from hangzhou_safety.audit.admin import AuditEventAdmin
from hangzhou_safety.audit.api import AuditEventViewSet
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.audit.services import record_event


def _seed(xihu_bureau: Authority, binjiang_bureau: Authority) -> dict[str, AuditEvent]:
    return {
        "xihu": record_event("plan.approve", obj=xihu_bureau),
        "binjiang": record_event("plan.approve", obj=binjiang_bureau),
        "global": record_event("auth.login_failed", new={"username": "x"}),
    }


def _list(user: User | None, **params: str) -> Response:
    request = APIRequestFactory().get("/api/audit/events/", params)
    if user is not None:
        force_authenticate(request, user=user)
    return AuditEventViewSet.as_view({"get": "list"})(request)


def _retrieve(user: User, pk: int) -> Response:
    request = APIRequestFactory().get(f"/api/audit/events/{pk}/")
    force_authenticate(request, user=user)
    return AuditEventViewSet.as_view({"get": "retrieve"})(request, pk=pk)


def _ids(response: Response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def test_visible_to(xihu_approver: User, city_auditor: User, xihu_bureau: Authority,
                    binjiang_bureau: Authority) -> None:
    events = _seed(xihu_bureau, binjiang_bureau)
    assert set(AuditEvent.objects.visible_to(xihu_approver)) == {events["xihu"]}
    assert set(AuditEvent.objects.visible_to(city_auditor)) == set(events.values())
    assert not AuditEvent.objects.visible_to(None).exists()
    homeless = User.objects.create_user("audit_homeless", role=Role.AUDITOR)
    assert not AuditEvent.objects.visible_to(homeless).exists()


def test_prefix_match_does_not_leak_to_sibling_codes(xihu_approver: User, city: Jurisdiction,
                                                     xihu_bureau: Authority) -> None:
    # "330100/330106/" must not match "330100/3301061/": paths end in "/".
    record_event("x", jurisdiction_path="330100/3301061/")
    assert not AuditEvent.objects.visible_to(xihu_approver).exists()


def test_api_lists_own_jurisdiction(xihu_approver: User, xihu_bureau: Authority,
                                    binjiang_bureau: Authority,
                                    django_assert_max_num_queries: Any) -> None:
    events = _seed(xihu_bureau, binjiang_bureau)
    with django_assert_max_num_queries(3):
        response = _list(xihu_approver)
    assert response.status_code == 200
    assert _ids(response) == {events["xihu"].id}
    row = response.data["results"][0]
    assert row["action"] == "plan.approve"
    assert row["hash"] == events["xihu"].hash
    assert _retrieve(xihu_approver, events["xihu"].id).status_code == 200


def test_api_out_of_jurisdiction_is_404(xihu_approver: User, xihu_bureau: Authority,
                                        binjiang_bureau: Authority) -> None:
    events = _seed(xihu_bureau, binjiang_bureau)
    response = _retrieve(xihu_approver, events["binjiang"].id)
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_api_filters(city_auditor: User, xihu_bureau: Authority,
                     binjiang_bureau: Authority) -> None:
    events = _seed(xihu_bureau, binjiang_bureau)
    assert _ids(_list(city_auditor)) == {e.id for e in events.values()}
    assert _ids(_list(city_auditor, action="auth.login_failed")) == {events["global"].id}
    assert _ids(_list(city_auditor, action_prefix="plan.")) == {events["xihu"].id,
                                                               events["binjiang"].id}
    by_object = _list(city_auditor, object_type="accounts.authority",
                      object_id=str(binjiang_bureau.pk))
    assert _ids(by_object) == {events["binjiang"].id}


def test_api_roles(xihu_inspector: User, binjiang_approver: User, db: Any) -> None:
    assert _list(xihu_inspector).status_code == 403
    assert _list(None).status_code in (401, 403)
    assert _list(binjiang_approver).status_code == 200


def test_api_is_read_only(city_auditor: User) -> None:
    # Through the real routes (a view built here for GET alone would answer 405 anyway).
    event = record_event("plan.approve", new={"n": 1})
    client = APIClient()
    client.force_authenticate(city_auditor)
    collection, detail = "/api/v1/audit/events/", f"/api/v1/audit/events/{event.pk}/"
    assert client.get(detail).status_code == 200
    assert client.post(collection, {"action": "x"}, format="json").status_code == 405
    for method in (client.put, client.patch):
        assert method(detail, {"reason": "改了"}, format="json").status_code == 405
    assert client.delete(detail).status_code == 405
    stored = AuditEvent.objects.get()
    assert (stored.pk, stored.reason, stored.hash) == (event.pk, event.reason, event.hash)


def test_admin_is_read_only(db: Any) -> None:
    model_admin = AuditEventAdmin(AuditEvent, admin.site)
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = User.objects.create_superuser("audit_super", password=None)
    event = record_event("x")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert "delete_selected" not in model_admin.get_actions(request)
    assert list(model_admin.get_queryset(request)) == [event]
