"""Bearer credentials: API keys and OAuth access tokens for every request, scopes per operation."""

from __future__ import annotations

import functools
import hmac
from copy import deepcopy
from dataclasses import dataclass

from flask import abort, current_app, g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from catalog.api_keys import authenticate, hash_secret
from catalog.oauth_clients import authenticate_token
from catalog.version import get_versions
from service.db import db
from service.key_cache import key_cache

SCOPES = (
    "admin",
    "catalog:write",
    "employees:write",
    "employees:read",
    "recommend",
    "evidence:write",
    "analytics:read",
)
# The OAuth token endpoint authenticates clients itself (service/oauth.py).
TOKEN_ENDPOINT = "oauth.token"
PUBLIC_ENDPOINTS = {
    "health.health",
    "health.ready",
    "api-docs.openapi_json",
    "docs.page",
    "docs.asset",
    "static",
    "metrics_public",  # /metrics when SKILLPATH_METRICS_PUBLIC is set (service/metrics.py)
    TOKEN_ENDPOINT,
    "oauth.metadata",
}
# The browser console signs in with a key once, then acts through its session (service/console).
CONSOLE_BLUEPRINT = "ui"
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": (
        "An API key, or an access token from POST /oauth/token: `Authorization: Bearer "
        "<key or token>`. Admin keys hold every scope."
    ),
}
CLIENT_SECURITY_SCHEME = {
    "type": "http",
    "scheme": "basic",
    "description": "An OAuth client's id and secret, at the token endpoint only.",
}


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's or OAuth client's name, and the scopes it holds."""

    name: str
    scopes: frozenset[str]
    key_id: int | None = None
    client_id: str | None = None

    def has(self, scope: str) -> bool:
        """Tell whether this caller holds ``scope`` (admin holds all)."""
        return "admin" in self.scopes or scope in self.scopes


def _deny(detail: str) -> None:
    raise Unauthorized(detail, www_authenticate=WWWAuthenticate("bearer", {"realm": "skillpath"}))


def authenticate_request() -> None:
    """Resolve the bearer key of the request into ``g.caller``; 401 if absent or wrong."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.method == "OPTIONS":
        return
    if request.blueprint == CONSOLE_BLUEPRINT:
        return  # the console's own session stands for the key (service/console/base.py)
    if request.routing_exception is not None:
        # No such path or method (404, 405): the answer is the same with or without a key, and
        # /openapi.json tells the routes anyway.
        return
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _deny("Send an API key or access token as 'Authorization: Bearer <secret>'.")
    secret = secret.strip()
    admin_secret = current_app.config.get("SKILLPATH_ADMIN_KEY")
    if admin_secret and hmac.compare_digest(hash_secret(secret), hash_secret(admin_secret)):
        g.caller = Caller(name="bootstrap admin", scopes=frozenset({"admin"}))
        return
    # One query for both versions: the credentials one checks cached keys, and the catalog
    # one is what the recommendation endpoints would read next (service.engine).
    g.catalog_version, credentials_version = get_versions(session=db.session)
    digest = hash_secret(secret)
    cache = key_cache()
    caller = cache.get(digest, credentials_version)
    if caller is None:
        key = authenticate(session=db.session, secret=secret)
        if key is not None:
            caller = Caller(name=key.name, scopes=frozenset(key.scopes), key_id=key.id)
            cache.put(digest, caller, credentials_version)
    if caller is not None:
        g.caller = caller
        return
    token = authenticate_token(session=db.session, secret=secret)
    if token is None:
        _deny("The API key or access token is unknown, expired or revoked.")
    client = token.client
    # A token never carries more than its client holds now (admin holds every scope).
    held = frozenset(SCOPES) if "admin" in client.scopes else frozenset(client.scopes)
    scopes = frozenset(token.scopes) & held
    g.caller = Caller(name=client.name, scopes=scopes, client_id=client.client_id)


def _document(wrapper, view, note: str | None) -> None:
    """Document an operation's bearer security, its scope note, and 401 and 403."""
    wrapper._apidoc = deepcopy(getattr(view, "_apidoc", {}))
    doc = wrapper._apidoc.setdefault("manual_doc", {})
    doc["security"] = [{"bearerAuth": []}]
    if note:
        doc["description"] = (doc.get("description", "") + "\n\n" + note).strip()
    responses = doc.setdefault("responses", {})
    responses.setdefault(401, {"$ref": "#/components/responses/UNAUTHORIZED"})
    if note:
        responses.setdefault(403, {"$ref": "#/components/responses/FORBIDDEN"})


def requires_any(*scopes: str):
    """Require a caller holding any one of ``scopes``, and say so, as :func:`requires` does."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            caller = g.get("caller")
            if caller is None:  # pragma: no cover - authenticate_request ran first
                _deny("Send an API key as 'Authorization: Bearer <key>'.")
            if not any(caller.has(scope) for scope in scopes):
                named = " or ".join(repr(scope) for scope in scopes)
                abort(403, description=f"This API key lacks the {named} scope.")
            return view(*args, **kwargs)

        named = " or ".join(f"`{scope}`" for scope in scopes)
        _document(wrapper, view, f"Needs the {named} scope (or `admin`).")
        return wrapper

    return decorator


def requires(*scopes: str):
    """Require a caller holding every one of ``scopes`` (any valid key when none), and say so.

    Checked before the view runs, so a key without the scopes learns nothing about the
    resources a path names, not even whether they exist.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            caller = g.get("caller")
            if caller is None:  # pragma: no cover - authenticate_request ran first
                _deny("Send an API key as 'Authorization: Bearer <key>'.")
            missing = [scope for scope in scopes if not caller.has(scope)]
            if missing:
                named = " and ".join(repr(scope) for scope in missing)
                plural = "s" if len(missing) > 1 else ""
                who = "access token" if caller.client_id else "API key"
                abort(403, description=f"This {who} lacks the {named} scope{plural}.")
            return view(*args, **kwargs)

        wrapper._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        doc = wrapper._apidoc.setdefault("manual_doc", {})
        doc["security"] = [{"bearerAuth": []}]
        if scopes:
            named = " and ".join(f"`{scope}`" for scope in scopes)
            plural = "s" if len(scopes) > 1 else ""
            note = f"Needs the {named} scope{plural} (or `admin`)."
            doc["description"] = (doc.get("description", "") + "\n\n" + note).strip()
        responses = doc.setdefault("responses", {})
        responses.setdefault(401, {"$ref": "#/components/responses/UNAUTHORIZED"})
        if scopes:
            responses.setdefault(403, {"$ref": "#/components/responses/FORBIDDEN"})
        return wrapper

    return decorator


def may_read_profiles() -> bool:
    """Tell whether the caller may see stored employee profiles (``employees:read``)."""
    caller = g.get("caller")
    return caller is not None and caller.has("employees:read")
