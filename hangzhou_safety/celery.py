"""Celery application. Tasks are thin: they take ids, load, and call one service."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_safety.settings")

app = Celery("hangzhou_safety")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A static schedule (not django-celery-beat, which lags Django releases). Times are
# Asia/Shanghai (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    "workdays-refresh-provisional-deadlines": {
        "task": "hangzhou_safety.workdays.tasks.refresh_provisional_deadlines",
        "schedule": crontab(minute=15, hour="*/6"),
    },
    "workdays-warn-missing-next-year": {
        "task": "hangzhou_safety.workdays.tasks.warn_if_next_year_missing",
        "schedule": crontab(minute=0, hour=8),
    },
    "enterprises-refresh-expiring-supervision": {
        "task": "enterprises.tasks.refresh_expiring_supervision",
        "schedule": crontab(minute=30, hour=2),
    },
    "enterprises-recompute-stale-risk": {
        "task": "enterprises.tasks.recompute_stale_risk",
        "schedule": crontab(minute=5),
    },
    "enterprises-fail-stalled-imports": {
        "task": "enterprises.tasks.fail_stalled_import_jobs",
        "schedule": crontab(minute="*/5"),
    },
    "inspections-flag-overdue-rectifications": {
        "task": "inspections.tasks.flag_overdue_rectifications",
        "schedule": crontab(minute=0, hour=7),
    },
    "enforcement-send-case-reminders": {
        "task": "enforcement.tasks.send_case_reminders",
        "schedule": crontab(minute=20),
    },
    "enforcement-sweep-disclosures": {
        "task": "enforcement.tasks.sweep_disclosures",
        "schedule": crontab(minute=25),
    },
    "credit-relay-outbox": {
        "task": "credit.tasks.relay_outbox",
        "schedule": 60.0,
    },
    "credit-reconcile-outbox": {
        "task": "credit.tasks.reconcile_outbox",
        "schedule": crontab(minute=30, hour=3),
    },
    "credit-propose-repeat-accidents": {
        "task": "credit.tasks.propose_repeat_accidents",
        "schedule": crontab(minute=50, hour=1),
    },
    "credit-expire-violations": {
        "task": "credit.tasks.expire_violations",
        "schedule": crontab(minute=45, hour=1),
    },
}
