"""The enforcement app's anonymous API routes (/api/v1/public/…), tried before every other
API route: a citizen's request resolves without walking the staff API's tables."""

from enforcement.api import public_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
