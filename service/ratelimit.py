"""Rate limits per API key or OAuth client: 429 problem+json with ``Retry-After`` and
``RateLimit-*`` headers.

One budget per key or OAuth client (all of a client's tokens share it), or per address for
requests without a credential (the token endpoint), across every endpoint, set by
``SKILLPATH_RATELIMIT``. Counters live where ``SKILLPATH_RATELIMIT_STORAGE_URI`` says:
``memory://`` counts per worker process (the embedded default: with N workers a key may make
up to N times the limit; :mod:`service.ratelimit_storage` keeps those counters),
``redis://...`` counts once for every worker and host.
"""

from __future__ import annotations

import hashlib
import time

from flask import Flask, Response, g, request
from flask_limiter import HeaderNames, Limiter
from limits import parse_many

from service import ratelimit_storage  # noqa: F401 - registers skillpath-memory://
from service.auth import PUBLIC_ENDPOINTS, TOKEN_ENDPOINT

HEADER_NAMES = {
    HeaderNames.LIMIT: "RateLimit-Limit",
    HeaderNames.REMAINING: "RateLimit-Remaining",
    HeaderNames.RESET: "RateLimit-Reset",
}


# The token endpoint is public but writes a row per token: it spends its caller's address budget.
EXEMPT_ENDPOINTS = PUBLIC_ENDPOINTS - {TOKEN_ENDPOINT}


def caller_key() -> str:
    """Return whose budget a request spends: its OAuth client's, its bearer secret's, or its
    address's.

    Authentication has run by now, so an access token is known by its client: the many
    tokens a client asks for share one budget.
    """
    caller = g.get("caller")
    if caller is not None and caller.client_id is not None:
        return "client:" + caller.client_id
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return "key:" + hashlib.sha256(secret.strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "unknown")


def init_app(app: Flask) -> None:
    """Apply the configured limit to every authenticated endpoint of ``app``."""
    limit = app.config["SKILLPATH_RATELIMIT"]
    try:
        parse_many(limit)
    except ValueError:
        raise ValueError(
            f"SKILLPATH_RATELIMIT must read like 600/minute or 10/second, not {limit!r}"
        ) from None
    # Registered before the limiter, so it runs after the limiter has set its headers.
    app.after_request(_standard_headers)
    storage = app.config["SKILLPATH_RATELIMIT_STORAGE_URI"]
    if storage.strip() == "memory://":
        storage = "skillpath-memory://"  # the same counters, without a timer thread
    # A limiter keeps its limits and storage on itself, so each app gets its own.
    Limiter(
        caller_key,
        app=app,
        application_limits=[limit],
        application_limits_exempt_when=lambda: request.endpoint in EXEMPT_ENDPOINTS,
        storage_uri=storage,
        headers_enabled=True,
        header_name_mapping=HEADER_NAMES,
    )


def _standard_headers(response: Response) -> Response:
    """Say ``RateLimit-Reset`` in seconds from now, and ``Retry-After`` only where it is meant.

    That is a 429's, and the one a problem answer set itself (a 503 while the database or the
    index is not ready), which the limiter would otherwise have replaced with its own.
    """
    own = getattr(response, "own_retry_after", None)
    if own is not None:
        response.headers["Retry-After"] = own
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    reset = response.headers.get("RateLimit-Reset")
    if reset and reset.isdigit():
        response.headers["RateLimit-Reset"] = str(max(0, int(reset) - int(time.time())))
    return response
