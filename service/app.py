"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from catalog.errors import CatalogError
from service import (
    analytics,
    api_keys,
    bodies,
    changes,
    console,
    docs,
    employees,
    evidence,
    feedback,
    health,
    imports,
    items,
    logs,
    metrics,
    oauth,
    oauth_clients,
    plans,
    ratelimit,
    recommendations,
    roles,
    share_links,
    skills,
    webhooks,
    xapi,
)
from service.api import (
    RETRY_AFTER_SECONDS,
    Api,
    handle_catalog_error,
    handle_unexpected,
    log,
    problem,
)
from service.auth import CLIENT_SECURITY_SCHEME, SECURITY_SCHEME, authenticate_request
from service.config import load_config
from service.db import db, retrying
from service.engine import FIRST_BUILD_RETRY_AFTER, IndexNotReadyError, models_for
from service.headers import secure_headers
from service.item_names import suggest_items
from service.json_provider import OrjsonProvider
from service.recommendation_args import InlineTargetSchema

API_DESCRIPTION = """
Skillpath tells each employee what to learn next and in what order: it keeps a skills taxonomy,
role profiles and a learning catalog, and answers gap analyses, ranked recommendations and
ordered, scheduled learning paths.

Every call but `/health`, `/ready`, `/openapi.json`, `/docs`, `/oauth/token` and
`/.well-known/oauth-authorization-server` needs `Authorization: Bearer <key or token>`: an API
key, or an access token an OAuth client got from `/oauth/token` (client credentials grant).
Errors are RFC 9457 `application/problem+json`. Writes to existing resources need `If-Match`
(the ETag of a GET, or `*`).
"""

api = Api()

# Below this resolver score a "did you mean" names skills that only share a few letters.
SUGGESTION_MIN_SCORE = 0.15


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure a Skillpath app."""
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(
        API_TITLE="Skillpath",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION.strip()},
            "components": {
                "securitySchemes": {
                    "bearerAuth": SECURITY_SCHEME,
                    "clientBasic": CLIENT_SECURITY_SCHEME,
                }
            },
        },
    )
    app.config.update(load_config())
    if test_config:
        app.config.update(test_config)
    app.config["MAX_CONTENT_LENGTH"] = app.config["SKILLPATH_MAX_BODY_BYTES"]
    logs.init_app(app)  # first: request ids, JSON logs and metrics see every request
    metrics.init_app(app)

    db.init_app(app)
    api.init_app(app)
    app.before_request(bodies.check_content_type)
    app.before_request(bodies.check_body)
    app.before_request(authenticate_request)
    app.after_request(secure_headers)
    ratelimit.init_app(app)
    app.register_error_handler(CatalogError, _handle_catalog_error)
    app.register_error_handler(Exception, _handle_exception)
    # recommendations first: /v1/skills/resolve must not read as a skill id.
    for module in (
        health,
        oauth,
        recommendations,
        skills,
        items,
        roles,
        employees,
        evidence,
        xapi,
        plans,
        share_links,
        feedback,
        analytics,
        imports,
        changes,
        api_keys,
        oauth_clients,
        webhooks,
    ):
        api.register_blueprint(module.blp)
    app.register_blueprint(docs.blp)  # /docs: a page, not an operation of the API
    app.register_blueprint(console.blp)  # /ui/: the browser console and shared plans
    for endpoint, view in app.view_functions.items():
        if endpoint != "static":
            app.view_functions[endpoint] = retrying(view)
    # marshmallow cannot say "exactly one of"; the document must, so clients can know.
    inline_target = api.spec.components.schemas.get("InlineTarget")
    if inline_target is not None:
        inline_target["oneOf"] = InlineTargetSchema.ONE_OF
    return app


def _suggest(text: str) -> list[str]:
    """Name the skills closest to an unknown reference, for "did you mean"."""
    try:
        models = models_for(db.session)
    except Exception:  # noqa: BLE001 - suggestions are a courtesy; the 422 stands without them
        log.warning("no skill suggestions: the recommender index could not be built", exc_info=True)
        return []
    matches = models.resolver.suggest(text, limit=3)
    return [m.skill_id for m in matches if m.score >= SUGGESTION_MIN_SCORE]


def _suggest_item(text: str) -> list[str]:
    """Name the catalog items closest to an unknown item reference, for "did you mean"."""
    try:
        return suggest_items(models_for(db.session), text)
    except Exception:  # noqa: BLE001 - suggestions are a courtesy; the 422 stands without them
        log.warning("no item suggestions: the recommender index could not be built", exc_info=True)
        return []


def _handle_catalog_error(error: CatalogError):
    return handle_catalog_error(error, suggest=_suggest, suggest_item=_suggest_item)


def _handle_exception(error: Exception):
    if isinstance(error, HTTPException):
        return api.handle_http_exception(error)
    if isinstance(error, IndexNotReadyError):
        return problem(
            503,
            "This worker is still building its recommender index; retry after Retry-After.",
            code="index_not_ready",
            headers={"Retry-After": str(FIRST_BUILD_RETRY_AFTER)},
        )
    if isinstance(error, OperationalError):
        # The database is unreachable or locked past its busy timeout: nothing was written.
        db.session.rollback()
        log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
        return problem(
            503,
            "The database is busy or unreachable; nothing was written. Retry shortly.",
            code="database_unavailable",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return handle_unexpected(error)
