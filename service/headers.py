"""Headers every answer carries: a content policy, no sniffing, no caching of personal data."""

from __future__ import annotations

from flask import Response, current_app, request

# Answers under these paths are derived from a stored or sent employee profile.
PERSONAL_PREFIXES = ("/v1/employees", "/v1/learning-paths", "/ui/")
SHARE_PREFIX = "/ui/share/"
PAGE_PREFIXES = ("/ui", "/docs", "/static/")

# JSON answers load nothing and are never framed or rendered as a page.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Pages load only what the app serves; no inline script runs, whatever a record's text holds.
_PAGE_SOURCES = (
    "default-src 'none'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'"
)
CONSOLE_POLICY = f"{_PAGE_SOURCES}; style-src 'self'; frame-ancestors 'none'"
# Swagger UI sets style attributes as it renders; its scripts still come only from the app.
DOCS_POLICY = f"{_PAGE_SOURCES}; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"


def content_policy(path: str) -> str:
    """Return the Content-Security-Policy of an answer at ``path``."""
    if path.startswith(SHARE_PREFIX):
        ancestors = current_app.config["SKILLPATH_SHARE_FRAME_ANCESTORS"]
        return f"{_PAGE_SOURCES}; style-src 'self'; frame-ancestors {ancestors}"
    if path.startswith("/docs"):
        return DOCS_POLICY
    if path.startswith(PAGE_PREFIXES):
        return CONSOLE_POLICY
    return API_POLICY


def secure_headers(response: Response) -> Response:
    """Add the headers that keep browsers and shared caches from misusing an answer."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy", content_policy(request.path))
    if not request.path.startswith(SHARE_PREFIX):
        # Older browsers read no frame-ancestors; only a share page may be framed at all.
        response.headers.setdefault("X-Frame-Options", "DENY")
    if "Cache-Control" not in response.headers:
        if request.path.startswith(PERSONAL_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        elif request.headers.get("Authorization"):
            # Shared caches must not keep what a key was shown; the client revalidates by ETag.
            response.headers["Cache-Control"] = "private, no-cache"
    return response
