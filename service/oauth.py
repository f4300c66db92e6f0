"""OAuth 2.0 client credentials (RFC 6749 section 4.4): /oauth/token and its RFC 8414 metadata.

Authlib's authorization server does the protocol: client authentication by HTTP Basic or the
form, grant type dispatch, the token response and its error bodies. This module tells it how
clients and tokens are stored, which scopes a client may ask for, and how long tokens live.
Errors here are OAuth's own JSON (``{"error": ..., "error_description": ...}``), which every
OAuth client library reads, not problem+json.
"""

from __future__ import annotations

import datetime as dt
import re

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import (
    InvalidClientError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
)
from authlib.oauth2.rfc6749.util import list_to_scope, scope_to_list
from flask import current_app, request, url_for
from flask.views import MethodView
from marshmallow import Schema, fields

from catalog.models import OAuthClient
from catalog.oauth_clients import find_live_client, issue_token, secret_matches
from service.auth import SCOPES
from service.common import Blueprint
from service.db import db

GRANT_TYPE = "client_credentials"
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
FORM = "application/x-www-form-urlencoded"
# RFC 6749 section 3.3: what a scope token is made of (printable ASCII but space, quote, backslash).
SCOPE_TOKEN = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")
# One answer for an unknown client, a wrong secret and a revoked client: which one it was
# would tell a guesser which client ids exist.
CLIENT_REFUSED = "Client authentication failed: unknown or revoked client, or wrong secret."

blp = Blueprint(
    "oauth",
    __name__,
    description="OAuth 2.0 client credentials: access tokens for machine clients.",
)


class _Client(ClientMixin):
    """A stored OAuth client as Authlib asks about it."""

    def __init__(self, row: OAuthClient):
        self.row = row

    def get_client_id(self) -> str:
        """Return the client's public id."""
        return self.row.client_id

    def get_default_redirect_uri(self) -> None:
        """Say there is none: the client credentials grant redirects nowhere."""
        return None

    def allowed_scopes(self) -> set[str]:
        """Return the scopes this client may put in a token (admin implies every one)."""
        return set(SCOPES) if "admin" in self.row.scopes else set(self.row.scopes)

    def get_allowed_scope(self, scope: str | None) -> str:
        """Return the scopes a token gets: those asked for that the client holds, else all."""
        if not scope:
            return list_to_scope(self.row.scopes)
        allowed = self.allowed_scopes()
        return list_to_scope(sorted({s for s in scope_to_list(scope) if s in allowed}))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Refuse every redirect URI: there is no authorization endpoint."""
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        """Tell whether the secret is the client's, in constant time."""
        return secret_matches(self.row, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Accept HTTP Basic and the form's client_id and client_secret."""
        return method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        """Refuse every response type: there is no authorization endpoint."""
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        """Allow the client credentials grant only."""
        return grant_type == GRANT_TYPE


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    """The client credentials grant, with a token's scopes narrowed to the client's."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_requested_scope(self) -> None:
        """Refuse a scope the client does not hold (``invalid_scope``)."""
        requested = scope_to_list(self.request.payload.scope) or []
        unknown = sorted(set(requested) - self.request.client.allowed_scopes())
        if unknown:
            # An error description may only hold what a scope token may (RFC 6749, section
            # 5.2): one that holds anything else is not repeated back, only counted.
            named = [scope for scope in unknown if SCOPE_TOKEN.fullmatch(scope)]
            others = len(unknown) - len(named)
            said = " ".join(named) + (
                f" and {others} with characters no scope has" if others else ""
            )
            raise InvalidScopeError(f"The client does not hold the scopes: {said.strip()}.")


class TokenServer(AuthorizationServer):
    """Authlib's authorization server over Skillpath's clients, for one grant type."""

    def __init__(self):
        super().__init__()
        self.scopes_supported = list(SCOPES)
        self.register_grant(ClientCredentialsGrant)
        self.register_token_generator("default", self._generate_token)

    def query_client(self, client_id: str) -> _Client | None:
        """Return the live client ``client_id``, or None for an unknown or revoked one."""
        row = find_live_client(session=db.session, client_id=client_id)
        return _Client(row) if row is not None else None

    def save_token(self, token: dict, request) -> None:
        """Commit the token row the generator added."""
        # The token row was added when it was generated; the answer goes out once it is kept.
        db.session.commit()

    @staticmethod
    def _generate_token(
        grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True
    ) -> dict:
        """Issue a token to ``client`` for the granted scopes and return the token response."""
        granted = client.get_allowed_scope(scope)
        lifetime = int(current_app.config["SKILLPATH_TOKEN_TTL"])
        _, secret = issue_token(
            session=db.session,
            client=client.row,
            scopes=scope_to_list(granted),
            lifetime=dt.timedelta(seconds=lifetime),
        )
        return {
            "access_token": secret,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": granted,
        }

    def handle_error_response(self, request, error: OAuth2Error):
        """Answer every client authentication failure alike: 401 with WWW-Authenticate."""
        if isinstance(error, InvalidClientError):
            error.status_code = 401
            error.description = CLIENT_REFUSED
        return super().handle_error_response(request, error)


server = TokenServer()


class TokenSchema(Schema):
    """An access token (RFC 6749 section 5.1): send it as ``Authorization: Bearer <token>``."""

    access_token = fields.String(
        required=True, metadata={"example": "spt_mF9B5f41JqMtGzv3JOkF0XG5Qx2TlKWIA"}
    )
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(
        required=True, metadata={"description": "Seconds the token stays valid", "example": 3600}
    )
    scope = fields.String(
        required=True,
        metadata={"description": "Granted scopes, space-separated", "example": "recommend"},
    )


class TokenRequestSchema(Schema):
    """A token request (form-encoded): the grant type, and optionally fewer scopes."""

    grant_type = fields.String(
        required=True, metadata={"enum": [GRANT_TYPE], "example": GRANT_TYPE}
    )
    scope = fields.String(
        metadata={
            "description": "Space-separated scopes, a subset of the client's (default: all)",
            "example": "recommend employees:read",
        }
    )
    client_id = fields.String(metadata={"description": "With client_secret, instead of Basic"})
    client_secret = fields.String(metadata={"description": "With client_id, instead of Basic"})


class OAuthErrorSchema(Schema):
    """An OAuth 2.0 error (RFC 6749 section 5.2); not problem+json."""

    error = fields.String(
        required=True,
        metadata={
            "description": "invalid_request, invalid_client, unauthorized_client, "
            "unsupported_grant_type or invalid_scope",
            "example": "invalid_scope",
        },
    )
    error_description = fields.String(metadata={"example": "The client does not hold ..."})


class ServerMetadataSchema(Schema):
    """Where and how to get tokens (RFC 8414 authorization server metadata)."""

    issuer = fields.String(metadata={"example": "https://skillpath.example.com"})
    token_endpoint = fields.String(
        metadata={"example": "https://skillpath.example.com/oauth/token"}
    )
    grant_types_supported = fields.List(fields.String(), metadata={"example": [GRANT_TYPE]})
    token_endpoint_auth_methods_supported = fields.List(
        fields.String(), metadata={"example": AUTH_METHODS}
    )
    scopes_supported = fields.List(fields.String(), metadata={"example": list(SCOPES)})
    response_types_supported = fields.List(
        fields.String(),
        metadata={"description": "Empty: there is no authorization endpoint", "example": []},
    )
    service_documentation = fields.String(
        metadata={"example": "https://skillpath.example.com/docs"}
    )


TOKEN_REQUEST_DOC = {
    "required": True,
    "content": {FORM: {"schema": TokenRequestSchema}},
}
# Basic authentication, or the client's id and secret in the form (no scheme in the header).
TOKEN_SECURITY = [{"clientBasic": []}, {}]


@blp.route("/oauth/token", endpoint="token")
class Token(MethodView):
    """The token endpoint."""

    @blp.doc(
        operationId="createToken",
        requestBody=TOKEN_REQUEST_DOC,
        security=TOKEN_SECURITY,
        description=(
            "Exchange a client's id and secret (HTTP Basic, or `client_id` and "
            "`client_secret` in the form) for an access token. Errors are OAuth 2.0 JSON "
            "(RFC 6749 section 5.2), not problem+json."
        ),
    )
    @blp.response(200, TokenSchema)
    @blp.alt_response(400, schema=OAuthErrorSchema, description="OAuth error")
    @blp.alt_response(401, schema=OAuthErrorSchema, description="Client authentication failed")
    def post(self):
        """Get an access token (client credentials grant)"""
        if request.content_length and request.mimetype != FORM:
            error = InvalidRequestError(f"Send the parameters as {FORM}.")
            return server.handle_error_response(None, error)
        try:
            return server.create_token_response()
        except OAuth2Error as error:  # raised before Authlib's own handling (insecure_transport)
            return server.handle_error_response(None, error)


@blp.route("/.well-known/oauth-authorization-server", endpoint="metadata")
class Metadata(MethodView):
    """Authorization server metadata."""

    @blp.doc(operationId="getAuthorizationServerMetadata")
    @blp.response(200, ServerMetadataSchema)
    def get(self):
        """Describe the token endpoint (RFC 8414)"""
        return {
            "issuer": request.url_root.rstrip("/"),
            "token_endpoint": url_for("oauth.token", _external=True),
            "grant_types_supported": [GRANT_TYPE],
            "token_endpoint_auth_methods_supported": AUTH_METHODS,
            "scopes_supported": list(SCOPES),
            "response_types_supported": [],
            "service_documentation": request.url_root + "docs",
        }
