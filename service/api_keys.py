"""API keys: /v1/api-keys (admin only)."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields, validate

from catalog.api_keys import create_api_key, list_api_keys, revoke_api_key
from catalog.vocabulary import MAX_NAME_LENGTH
from service.auth import SCOPES, requires
from service.common import PAGING, Blueprint, ChangesArgsSchema, paginate_page, paging
from service.db import db
from service.fields import StrictSchema, Text

blp = Blueprint("api-keys", __name__, url_prefix="/v1/api-keys", description="API keys.")


class ApiKeySchema(StrictSchema):
    """An API key; the secret appears once, in the answer that creates it."""

    id = fields.Integer(dump_only=True)
    name = Text(MAX_NAME_LENGTH, required=True)
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        required=True,
        validate=validate.Length(min=1, max=len(SCOPES)),
    )
    prefix = fields.String(dump_only=True, metadata={"description": "First characters of the key"})
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class ApiKeyQueryArgsSchema(ChangesArgsSchema):
    """Filters of the API keys listing."""

    after_id = fields.Integer(
        metadata={
            "description": (
                "With `updated_since`: also keys changed exactly then whose id is above this "
                "one. The `next` link sets it; a client need not"
            )
        }
    )


class NewApiKeySchema(ApiKeySchema):
    """A newly created key, with its secret: store it now, it is not shown again."""

    secret = fields.String(dump_only=True)


@blp.route("")
class ApiKeys(MethodView):
    """API keys as a collection."""

    @requires("admin")
    @blp.arguments(ApiKeyQueryArgsSchema, location="query")
    @blp.response(200, ApiKeySchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List API keys"""
        page = list_api_keys(session=db.session, **args, **paging(pagination_parameters))
        return paginate_page(page, pagination_parameters)

    @requires("admin")
    @blp.arguments(ApiKeySchema)
    @blp.response(201, NewApiKeySchema)
    def post(self, data):
        """Create an API key (the secret is shown once)"""
        key, secret = create_api_key(session=db.session, name=data["name"], scopes=data["scopes"])
        db.session.commit()
        fields_ = ("id", "name", "scopes", "prefix", "created_at", "updated_at", "revoked_at")
        return {**{name: getattr(key, name) for name in fields_}, "secret": secret}


# Ids are 32-bit on every database; larger numbers name no key (404), never an overflow.
@blp.route("/<int(min=1, max=2147483647):key_id>")
class ApiKeyById(MethodView):
    """One API key."""

    @requires("admin")
    @blp.response(204)
    @blp.problems(404)
    def delete(self, key_id):
        """Revoke an API key"""
        revoke_api_key(session=db.session, key_id=key_id)
        db.session.commit()
