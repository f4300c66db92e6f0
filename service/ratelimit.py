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
from collections.abc import Iterable

from flask import Flask, Response, g, request
from flask_limiter import HeaderNames, Limiter
from flask_limiter._manager import LimitManager
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


class ResolvedLimits(LimitManager):
    """Flask-Limiter's resolution of an endpoint's limits, remembered per endpoint.

    The library resolves them again on every request (parsing the limit strings, building
    their runtime objects, walking the blueprint's exemptions), though they can only change
    when limits or exemptions are declared: each declaration forgets what was remembered.
    Limits whose amount a function gives at request time are never remembered.
    """

    def __init__(self, *args, **kwargs) -> None:
        self._resolved: dict[tuple, tuple[list, list]] = {}
        self._scopes: dict[tuple, object] = {}
        super().__init__(*args, **kwargs)

    def _forget(self) -> None:
        """Drop what was resolved: a limit or an exemption changed."""
        self._resolved.clear()
        self._scopes.clear()

    # Every way the library declares a limit or an exemption forgets what was resolved.

    def set_application_limits(self, *args, **kwargs) -> None:
        self._forget()
        super().set_application_limits(*args, **kwargs)

    def set_default_limits(self, *args, **kwargs) -> None:
        self._forget()
        super().set_default_limits(*args, **kwargs)

    def add_decorated_limit(self, *args, **kwargs) -> None:
        self._forget()
        super().add_decorated_limit(*args, **kwargs)

    def add_blueprint_limit(self, *args, **kwargs) -> None:
        self._forget()
        super().add_blueprint_limit(*args, **kwargs)

    def add_route_exemption(self, *args, **kwargs) -> None:
        self._forget()
        super().add_route_exemption(*args, **kwargs)

    def add_blueprint_exemption(self, *args, **kwargs) -> None:
        self._forget()
        super().add_blueprint_exemption(*args, **kwargs)

    def add_endpoint_hint(self, *args, **kwargs) -> None:
        self._forget()
        super().add_endpoint_hint(*args, **kwargs)

    def _fixed(self) -> bool:
        """Whether every declared limit is a fixed string rather than a function of the request."""
        groups: Iterable = [
            *self._application_limits,
            *self._default_limits,
            *(g for declared in self._decorated_limits.values() for g in declared),
            *(g for declared in self._blueprint_limits.values() for g in declared),
        ]
        return not any(callable(group.limit_provider) for group in groups)

    def resolve_limits(self, app, endpoint=None, blueprint=None, *args, **kwargs):
        """Return the limits of an endpoint as the library resolves them, once per endpoint."""
        key = (app, endpoint, blueprint, args, tuple(sorted(kwargs.items())))
        found = self._resolved.get(key)
        if found is None:
            found = super().resolve_limits(app, endpoint, blueprint, *args, **kwargs)
            if self._fixed():
                self._resolved[key] = found
        # Copies: the caller may extend the lists it is given.
        return list(found[0]), list(found[1])

    def exemption_scope(self, app, endpoint, blueprint):
        """Return what an endpoint is exempt from, once per endpoint."""
        key = (app, endpoint, blueprint)
        scope = self._scopes.get(key)
        if scope is None:
            scope = self._scopes[key] = super().exemption_scope(app, endpoint, blueprint)
        return scope


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
    limiter = Limiter(
        caller_key,
        application_limits=[limit],
        application_limits_exempt_when=lambda: request.endpoint in EXEMPT_ENDPOINTS,
        storage_uri=storage,
        headers_enabled=True,
        header_name_mapping=HEADER_NAMES,
    )
    limiter.limit_manager = ResolvedLimits(
        application_limits=limiter.limit_manager._application_limits,
        default_limits=limiter.limit_manager._default_limits,
        decorated_limits={},
        blueprint_limits={},
        route_exemptions=limiter._route_exemptions,
        blueprint_exemptions=limiter._blueprint_exemptions,
    )
    limiter.init_app(app)


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
