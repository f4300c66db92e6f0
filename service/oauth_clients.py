"""OAuth clients: /v1/oauth-clients (admin only)."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields, validate

from catalog.oauth_clients import create_client, list_clients, revoke_client
from catalog.vocabulary import MAX_NAME_LENGTH
from service.auth import SCOPES, requires
from service.common import PAGING, Blueprint, ChangesArgsSchema, paginate_page, paging
from service.db import db
from service.fields import StrictSchema, Text

blp = Blueprint(
    "oauth-clients",
    __name__,
    url_prefix="/v1/oauth-clients",
    description="OAuth 2.0 clients that get access tokens at /oauth/token.",
)


class OAuthClientSchema(StrictSchema):
    """An OAuth client; its secret appears once, in the answer that creates it."""

    client_id = fields.String(dump_only=True, metadata={"example": "spc_Vx3kQ9mB2nLp7aRt"})
    name = Text(MAX_NAME_LENGTH, required=True, metadata={"example": "lxp"})
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        required=True,
        validate=validate.Length(min=1, max=len(SCOPES)),
        metadata={
            "description": "What its tokens may carry; a token request may ask for fewer",
            "example": ["recommend", "employees:read"],
        },
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class NewOAuthClientSchema(OAuthClientSchema):
    """A newly created client, with its secret: store it now, it is not shown again."""

    client_secret = fields.String(dump_only=True)


class OAuthClientQueryArgsSchema(ChangesArgsSchema):
    """Filters of the OAuth clients listing."""


@blp.route("")
class OAuthClients(MethodView):
    """OAuth clients as a collection."""

    @requires("admin")
    @blp.arguments(OAuthClientQueryArgsSchema, location="query")
    @blp.response(200, OAuthClientSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List OAuth clients"""
        page = list_clients(session=db.session, **args, **paging(pagination_parameters))
        return paginate_page(page, pagination_parameters, key="client_id")

    @requires("admin")
    @blp.arguments(OAuthClientSchema)
    @blp.response(201, NewOAuthClientSchema)
    def post(self, data):
        """Create an OAuth client (the secret is shown once)"""
        client, secret = create_client(session=db.session, name=data["name"], scopes=data["scopes"])
        db.session.commit()
        fields_ = ("client_id", "name", "scopes", "created_at", "updated_at", "revoked_at")
        return {**{name: getattr(client, name) for name in fields_}, "client_secret": secret}


@blp.route("/<id:client_id>")
class OAuthClientById(MethodView):
    """One OAuth client."""

    @requires("admin")
    @blp.response(204)
    @blp.problems(404)
    def delete(self, client_id):
        """Revoke an OAuth client and every token it holds"""
        revoke_client(session=db.session, client_id=client_id)
        db.session.commit()
