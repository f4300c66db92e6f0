"""Rate limits per API key or OAuth client: 429 problem+json with ``Retry-After`` and
``RateLimit-*`` headers.

One budget per key or OAuth client (all of a client's tokens share it), or per address for
requests without a credential (the token endpoint), across every endpoint, set by
``SKILLPATH_RATELIMIT``. Counters live where ``SKILLPATH_RATELIMIT_STORAGE_URI`` says:
``memory://`` counts per worker process (the embedded default: with N workers a key may make
up to N times the limit; :mod:`service.ratelimit_storage` keeps those counters),
``redis://...`` counts once for every worker and host.

Each limit is a fixed window counted in a ``limits`` storage: a request adds one to its
caller's count in every window, shortest first, and is refused when one goes over. That is
what Flask-Limiter did here with its application limits, whose general machinery
(per-endpoint limits, scopes, exemptions, deductions, a second storage read for the headers)
took about a twelfth of the instructions of a recommendations request.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from werkzeug.exceptions import TooManyRequests

from service import ratelimit_storage  # noqa: F401 - registers skillpath-memory://
from service.auth import PUBLIC_ENDPOINTS, TOKEN_ENDPOINT

# The token endpoint is public but writes a row per token: it spends its caller's address budget.
EXEMPT_ENDPOINTS = PUBLIC_ENDPOINTS - {TOKEN_ENDPOINT}

_EXTENSION = "skillpath.ratelimit"
# Every counter's key starts with this, so the counters share a Redis with other data safely.
_NAMESPACE = "skillpath-ratelimit"


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


@dataclass(frozen=True, slots=True)
class Window:
    """One limit's window as a caller's request left it: what the headers report."""

    limit: RateLimitItem
    count: int
    resets_at: float

    @property
    def remaining(self) -> int:
        """Requests left in the window."""
        return max(0, self.limit.amount - self.count)

    @property
    def breached(self) -> bool:
        """Whether this request went over the limit."""
        return self.count > self.limit.amount

    def seconds_left(self, now: float) -> int:
        """Whole seconds until the window resets, rounded up."""
        return max(0, math.ceil(self.resets_at - now))


class RateLimiter:
    """The configured limits and the storage that counts them.

    Parameters
    ----------
    limits : sequence of RateLimitItem
        Counted shortest window first.
    storage : limits.storage.Storage
    """

    def __init__(self, limits: Sequence[RateLimitItem], storage: Storage) -> None:
        self.limits = sorted(limits)
        self.storage = storage

    def spend(self, caller: str) -> Window:
        """Count one request of ``caller`` in each window; return the window to report.

        A window that goes over refuses the request, and the longer windows do not count it:
        a refused request spends nothing more. The reported window is the breached one, or
        else the one with the fewest requests left (the first of those, by length).
        """
        reported = None
        for limit in self.limits:
            key = limit.key_for(_NAMESPACE, caller)
            count = self.storage.incr(key, limit.get_expiry())
            window = Window(limit, count, self.storage.get_expiry(key))
            if window.breached:
                return window
            if reported is None or window.remaining < reported.remaining:
                reported = window
        assert reported is not None, "at least one limit is configured"
        return reported


def init_app(app: Flask) -> None:
    """Apply the configured limit to every authenticated endpoint of ``app``."""
    limit = app.config["SKILLPATH_RATELIMIT"]
    try:
        limits = parse_many(limit)
    except ValueError:
        limits = []
    if not limits:
        raise ValueError(
            f"SKILLPATH_RATELIMIT must read like 600/minute or 10/second, not {limit!r}"
        )
    uri = app.config["SKILLPATH_RATELIMIT_STORAGE_URI"].strip()
    if uri == "memory://":
        uri = "skillpath-memory://"  # the same counters, without a timer thread
    # Each app counts in its own storage.
    app.extensions[_EXTENSION] = RateLimiter(limits, storage_from_string(uri))
    # After authentication, which says whose budget a request spends.
    app.before_request(_spend)
    app.after_request(_report)


def _limited(endpoint: str | None) -> bool:
    """Whether requests to ``endpoint`` spend a budget (unrouted ones and probes do not)."""
    return (
        endpoint is not None
        and endpoint not in EXEMPT_ENDPOINTS
        and endpoint.rpartition(".")[2] != "static"
    )


def _spend() -> None:
    """Count the request; refuse it with a 429 when its caller is over a limit."""
    if not _limited(request.endpoint):
        return
    window = current_app.extensions[_EXTENSION].spend(caller_key())
    g.rate_window = window
    if window.breached:
        retry_after = max(1, window.seconds_left(time.time()))
        raise TooManyRequests(description=str(window.limit), retry_after=retry_after)


def _report(response: Response) -> Response:
    """Say the caller's limit, what is left of it and the seconds until it resets."""
    window = g.get("rate_window")
    if window is not None:
        response.headers["RateLimit-Limit"] = str(window.limit.amount)
        response.headers["RateLimit-Remaining"] = str(window.remaining)
        response.headers["RateLimit-Reset"] = str(window.seconds_left(time.time()))
    return response
