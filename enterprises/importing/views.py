"""Pages of the bulk import (upload, dry-run result, progress, commit) and the export.

Thin: every decision is in jobs (create, start, who sees which job). A refused file
is the upload form's error (HTTP 400); a job that failed shows its reason on its page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError

from .. import exporting
from ..filters import EnterpriseFilter
from ..models import Enterprise, ImportJob
from . import jobs
from .columns import FIELD_LABELS
from .errors import ImportFileError
from .reading import MAX_ROWS

# Auditors read and export; they never write the registry.
IMPORT_ROLES = (Role.MUNICIPAL_ADMIN, Role.DISTRICT_APPROVER, Role.SECTION_CHIEF,
                Role.INSPECTOR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_staff(request: HttpRequest, *roles: str) -> None:
    user: Any = request.user
    if not (user.is_superuser or user.authority_id):
        raise PermissionDenied
    if roles and not user.has_role(*roles):
        raise PermissionDenied


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("导入文件（.xlsx 或 .csv，不超过 5 MB）"),
                           error_messages={"required": gettext_lazy("请选择要导入的文件。")})



def _job_context(job: ImportJob) -> dict[str, Any]:
    percent = 0
    if job.total_rows:
        percent = min(100, job.processed_rows * 100 // job.total_rows)
    if job.status == ImportJob.Status.DONE:
        percent = 100
    errors = [{**e, "field_label": FIELD_LABELS.get(e.get("field", ""), e.get("field", ""))}
              for e in job.errors]
    return {"job": job, "percent": percent, "errors": errors,
            "running": job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING),
            "invalid_rows": max(job.total_rows - job.valid_rows, 0),
            "is_dry_run": job.mode == ImportJob.Mode.DRY_RUN}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_staff(request, *IMPORT_ROLES)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.create_dry_run(form.cleaned_data["file"], actor=request.user)
        except ImportFileError as exc:
            form.add_error("file", exc.detail)
        else:
            jobs.start_job(job)
            return redirect("enterprise_import:job", job_id=job.pk)
    recent = jobs.jobs_visible_to(request.user).order_by("-id")[:10]
    status = 400 if form.errors else 200
    return render(request, "enterprises/import_upload.html",
                  {"form": form, "recent": recent, "max_rows": MAX_ROWS,
                   "inline_limit": jobs.INLINE_ROW_LIMIT}, status=status)


@login_required
@require_GET
def template(request: HttpRequest) -> FileResponse:
    _require_staff(request, *IMPORT_ROLES)
    return FileResponse(exporting.build_template(), as_attachment=True,
                        filename="生产经营单位导入模板.xlsx", content_type=XLSX)


@login_required
@require_GET
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_staff(request)
    obj = get_object_or_404(jobs.jobs_visible_to(request.user), pk=job_id)
    context = _job_context(obj)
    context["can_import"] = request.user.has_role(*IMPORT_ROLES)  # type: ignore[union-attr]
    context["commits"] = (jobs.jobs_visible_to(request.user)
                          .filter(file_sha256=obj.file_sha256, file_path=obj.file_path,
                                  id__gt=obj.pk).exclude(mode=ImportJob.Mode.DRY_RUN)
                          .order_by("-id")[:5]) if context["is_dry_run"] else []
    return render(request, "enterprises/import_job.html", context)


@login_required
@require_GET
def progress(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_staff(request)
    obj = get_object_or_404(jobs.jobs_visible_to(request.user), pk=job_id)
    context = _job_context(obj)
    response = render(request, "enterprises/import_progress.html", context)
    if not context["running"] and request.headers.get("HX-Request"):
        # Finished: reload the whole page once to show the errors and the commit buttons.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def commit(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_staff(request, *IMPORT_ROLES)
    dry_run = get_object_or_404(jobs.jobs_visible_to(request.user), pk=job_id)
    mode = request.POST.get("mode", "")
    try:
        new_job = jobs.create_commit(dry_run, mode, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("enterprise_import:job", job_id=dry_run.pk)
    jobs.start_job(new_job)
    return redirect("enterprise_import:job", job_id=new_job.pk)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    _require_staff(request)
    queryset = Enterprise.objects.visible_to(request.user)
    filterset = EnterpriseFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return render(request, "enterprises/import_export_refused.html",
                      {"message": _("筛选条件有误，无法导出。"), "errors": filterset.errors},
                      status=400)
    rows = filterset.qs
    # A bounded count: never COUNT(*) the whole registry just to compare with the cap.
    if rows.values("pk")[: exporting.MAX_EXPORT_ROWS + 1].count() > exporting.MAX_EXPORT_ROWS:
        return render(request, "enterprises/import_export_refused.html", {
            "message": _("符合条件的单位超过 %(cap)s 家，请缩小筛选范围后再导出。")
            % {"cap": f"{exporting.MAX_EXPORT_ROWS:,}"}}, status=400)
    return FileResponse(exporting.export_enterprises(rows), as_attachment=True,
                        filename="生产经营单位台账.xlsx", content_type=XLSX)
