"""The inspections app's anonymous API routes (/api/v1/public/…), tried before every other
API route: a citizen's request resolves without walking the staff API's tables."""

from inspections.api import public_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
