"""Response headers every answer carries: no sniffing, and no caching of personal data."""

from __future__ import annotations

from flask import Response, request

# Answers under these paths are derived from a stored or sent employee profile.
PERSONAL_PREFIXES = ("/v1/employees", "/v1/learning-paths")


def secure_headers(response: Response) -> Response:
    """Add the headers that keep browsers and shared caches from misusing an answer."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if "Cache-Control" not in response.headers:
        if request.path.startswith(PERSONAL_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        elif request.headers.get("Authorization"):
            # Shared caches must not keep what a key was shown; the client revalidates by ETag.
            response.headers["Cache-Control"] = "private, no-cache"
    return response
