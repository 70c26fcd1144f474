"""Walk driver of the statutory clock (workdays.deadline)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from hangzhou_safety.accounts.models import User
from hangzhou_safety.workdays import services
from hangzhou_safety.workdays.models import Deadline, DeadlinePause
from tests.platform.drivers import Driver

Status = Deadline.Status


def make(status: str) -> Deadline:
    now = timezone.now()
    deadline = Deadline.objects.create(
        label="行政处罚决定送达（流转走查）", kind=Deadline.Kind.WORKING_DAYS, amount=10,
        started_at=now - datetime.timedelta(days=5),
        due_date=timezone.localdate(now + datetime.timedelta(days=9)),
        due_at=now + datetime.timedelta(days=9), status=status,
        paused_at=now - datetime.timedelta(days=1) if status == Status.PAUSED else None,
        completed_at=(now - datetime.timedelta(hours=2)
                      if status in (Status.MET, Status.CANCELLED) else None))
    if status == Status.PAUSED:
        assert deadline.paused_at is not None
        DeadlinePause.objects.create(deadline=deadline, paused_at=deadline.paused_at,
                                     pause_reason="举行听证")
    return deadline


def _actor() -> User:
    return User.objects.get(username="p_admin")   # the municipal_admin persona


def _resume(row: Deadline) -> Any:
    return services.resume_deadline(row, actor=_actor(), reason="听证结束")


def _pause(row: Deadline) -> Any:
    return services.pause_deadline(row, actor=_actor(), reason="举行听证")


def _meet(row: Deadline) -> Any:
    return services.meet_deadline(row, actor=_actor())


def _cancel(row: Deadline) -> Any:
    return services.cancel_deadline(row, actor=_actor(), reason="撤销立案")


DRIVER = Driver(
    key="workdays.deadline",
    make=make,
    steps={Status.RUNNING: _resume, Status.PAUSED: _pause, Status.MET: _meet,
           Status.CANCELLED: _cancel},
    fixtures=("calendar_data", "municipal_admin"),
)
