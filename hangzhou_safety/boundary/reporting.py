"""Exception reports that never show a credential.

Django's SafeExceptionReporterFilter hides settings whose *name* looks secret
(KEY, PASS, TOKEN...). A URL with a password inside (CELERY_BROKER_URL,
DATABASE_URL in the environment shown by a debug page) has an innocent name, so
every string value that contains ``scheme://user:password@`` is masked as well.
"""

from __future__ import annotations

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

_CREDENTIAL_URL = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]*:[^/\s@]*@", re.I)


def mask_credentials(value: str) -> str:
    return _CREDENTIAL_URL.sub(lambda m: f"{m.group('scheme')}********@", value)


class CredentialMaskingFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL|BROKER|DSN",
        flags=re.I)

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            return mask_credentials(cleansed)
        return cleansed

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        return {k: mask_credentials(v) if isinstance(v, str) else v for k, v in meta.items()}
