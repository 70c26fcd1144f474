"""Every login, failed login and logout goes into the audit trail (MLPS level 3); a
saved or deleted jurisdiction or authority moves PLACES_GENERATION."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from hangzhou_safety.cache import bump

from .models import PLACES_GENERATION, Authority, Jurisdiction


@receiver([post_save, post_delete], sender=Jurisdiction)
@receiver([post_save, post_delete], sender=Authority)
def places_changed(sender: Any, **kwargs: Any) -> None:
    # Now, and again after commit: a page drawn in another process between the two
    # reads the old rows under the new generation and would keep them memoised.
    bump(PLACES_GENERATION)
    transaction.on_commit(lambda: bump(PLACES_GENERATION))


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from hangzhou_safety.audit.services import record_event

    record_event("auth.login", actor=user, obj=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    from hangzhou_safety.audit.services import record_event

    record_event("auth.logout", actor=user, obj=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    from hangzhou_safety.audit.services import record_event

    # The attempted username is kept (it is what an assessor looks for); never the password.
    record_event("auth.login_failed", actor=None, request=request,
                 new={"username": str(credentials.get("username", ""))[:150]})
