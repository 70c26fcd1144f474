"""The platform's edge: what every request passes before any app sees it.

Hostile or broken input is refused here once, for every endpoint and page, with the
project's error body (API) or its own error page (HTML): control characters, JSON
nested too deep, crafted cursors, oversized bodies, unknown API paths, CSRF
failures. Nothing here is app-specific, so no domain code repeats these checks.
"""
