"""What a locked-out user sees (django-axes calls this)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_ZH = "登录失败次数过多，账户已锁定 30 分钟，请稍后再试或联系管理员。"
LOCKED_EN = "Too many failed logins: the account is locked for 30 minutes."


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": LOCKED_ZH, "detail_en": LOCKED_EN},
                            status=403)
    return render(request, "web/locked_out.html", {"message": LOCKED_ZH}, status=403)
