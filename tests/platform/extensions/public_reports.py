"""The generated checks' reach into 12350 reports: the staff pages' path parameters,
the public routes (no login), the step slugs, and a named report with a photo in each
of the two districts."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.platform.surface import Collection


def _report_steps() -> tuple[str, ...]:
    from enforcement.public_reports import views

    return tuple(views.STEPS)


COLLECTIONS = {
    ("reports", "pk"): Collection("enforcement.PublicReport"),
    ("reports", "tracking_no"): Collection("enforcement.PublicReport", attr="tracking_no"),
    ("photos", "photo_id"): Collection("enforcement.ReportPhoto", parent=("reports", "report")),
}
STEP_VALUES = {"report_step:step": _report_steps()}
PUBLIC_API = {
    ("post", "/api/v1/public/reports/"),
    ("get", "/api/v1/public/reports/challenge/"),
    ("get", "/api/v1/public/reports/enterprises/"),
    ("get", "/api/v1/public/reports/{tracking_no}/"),
}
PUBLIC_PAGES = {"public/report/", "public/reports/new/", "public/reports/track/"}


def _png() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("scene.png", out.getvalue(), content_type="image/png")


def build_world(users: dict[str, Any]) -> None:
    from enforcement.public_reports import services

    for place in ("330106", "330108"):
        services.submit_report(
            category="hidden_danger", place_code=place, enterprise_name="生成检查举报对象厂",
            description="车间消防通道堵塞，灭火器过期。", anonymous=False,
            name="生成检查举报人", phone="13800000000", photos=[_png()])
