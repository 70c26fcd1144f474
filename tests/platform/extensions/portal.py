"""The generated checks' reach into the public portal: its pages and API (no login),
the disclosure id of its URLs, and the per-district disclosure of the enforcement
extension published (reviewed by the district's chief) so the public URLs answer 200."""

from __future__ import annotations

from typing import Any

from tests.platform.surface import Collection


def _published(user: Any) -> Any:
    from enforcement.disclosure.models import Disclosure

    return Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED)


COLLECTIONS = {
    ("decisions", "disclosure_id"): Collection("enforcement.Disclosure", scope=_published),
}
PUBLIC_API = {
    ("get", "/api/v1/public/decisions/"),
    ("get", "/api/v1/public/decisions/{disclosure_id}/"),
}
PUBLIC_PAGES = {
    "public/", "public/verify/", "public/decisions/", "public/decisions/export.csv",
    "public/decisions/export.json", "public/decisions/<int:disclosure_id>/",
    "public/decisions/<int:disclosure_id>/pdf/",
    "public/decisions/<int:disclosure_id>/objection/",
}


def build_world(users: dict[str, Any]) -> None:
    from enforcement.disclosure import services
    from enforcement.disclosure.models import Disclosure

    for district, prefix in (("330106", "xihu"), ("330108", "binjiang")):
        row = (Disclosure.objects.filter(authority__code=f"EM-{district}",
                                         status=Disclosure.Status.PENDING)
               .order_by("pk").first())
        assert row is not None, f"{district}: the enforcement extension opened no disclosure"
        row = services.submit_for_review(row, actor=users[f"{prefix}_inspector"])
        row = services.approve_redaction(row, actor=users[f"{prefix}_chief"],
                                         severity="ordinary", months=6)
        services.publish(row, actor=users[f"{prefix}_inspector"])
