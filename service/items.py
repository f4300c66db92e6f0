"""The learning catalog: /v1/items."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import ValidationError, fields, validate, validates_schema

from catalog.items import ITEM, list_items, retire_item
from catalog.vocabulary import (
    ITEM_KINDS,
    MAX_COST,
    MAX_DESCRIPTION_LENGTH,
    MAX_DURATION_HOURS,
    MAX_ITEM_SKILLS,
    MAX_NAME_LENGTH,
    MAX_REQUIRED_ITEMS,
    MAX_TITLE_LENGTH,
    MAX_VALID_MONTHS,
    MODALITIES,
)
from service.auth import requires
from service.common import (
    ETAG_HEADER,
    LOCATION_HEADER,
    PAGING,
    Blueprint,
    ChangesArgsSchema,
    create_response,
    get_or_404,
    merge_patch,
    paginate_page,
    paging,
    patch_response,
    precondition_for_delete,
    put_response,
    read_response,
)
from service.db import db
from service.fields import (
    ExternalIds,
    Flag,
    Id,
    Language,
    Number,
    PathId,
    Pattern,
    Positive,
    SkillLevelSchema,
    StrictSchema,
    Text,
    Url,
)

blp = Blueprint(
    "items",
    __name__,
    url_prefix="/v1/items",
    description="The catalog: courses, certifications, mentoring, programs, assignments, content.",
)


class ItemSchema(StrictSchema):
    """A catalog item; ``skills`` are the levels reached on completion."""

    id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    title = Text(MAX_TITLE_LENGTH, required=True)
    description = Text(MAX_DESCRIPTION_LENGTH, load_default=None, allow_none=True)
    provider = Text(MAX_NAME_LENGTH, load_default=None, allow_none=True)
    url = Url(load_default=None, allow_none=True)
    language = Language(load_default="en")
    modality = fields.String(required=True, validate=validate.OneOf(MODALITIES))
    duration_hours = Positive(
        MAX_DURATION_HOURS, required=True, metadata={"description": "Study hours, > 0"}
    )
    cost = Number(load_default=0.0, validate=validate.Range(min=0, max=MAX_COST))
    currency = fields.String(
        load_default="USD",
        validate=Pattern(r"^[A-Z]{3}$", error="Use an ISO 4217 code such as USD."),
    )
    skills = fields.List(
        fields.Nested(SkillLevelSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_ITEM_SKILLS),
        metadata={"description": "Skills taught and the level reached on completion"},
    )
    prerequisites = fields.List(
        fields.Nested(SkillLevelSchema),
        load_default=list,
        validate=validate.Length(max=MAX_ITEM_SKILLS),
        metadata={"description": "Skill levels expected before starting"},
    )
    requires_items = fields.List(
        Id(), load_default=list, validate=validate.Length(max=MAX_REQUIRED_ITEMS)
    )
    valid_months = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_VALID_MONTHS),
        metadata={"description": "How long a certification stays valid"},
    )
    active = Flag(load_default=True)
    # external_ids.xapi: the activity id xAPI statements name the item by (or its url, or id).
    external_ids = ExternalIds()
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _prerequisites_below_taught(self, data, **kwargs):
        taught = {row["skill"]: row["level"] for row in data.get("skills") or ()}
        for n, row in enumerate(data.get("prerequisites") or ()):
            if row["skill"] in taught and row["level"] >= taught[row["skill"]]:
                raise ValidationError(
                    "A prerequisite level must be below the level the item teaches.",
                    f"prerequisites[{n}].level",
                )


class ItemPutSchema(ItemSchema):
    """A catalog item as PUT takes it: the path names it."""

    id = PathId()


class ItemPatchSchema(ItemSchema):
    """Top-level fields to change (JSON merge patch); lists replace whole."""

    class Meta:
        exclude = ("id",)


class ItemQueryArgsSchema(ChangesArgsSchema):
    """Filters of the catalog listing."""

    skill = Text(
        MAX_NAME_LENGTH, metadata={"description": "Items teaching this skill (id, name or alias)"}
    )
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    modality = fields.String(validate=validate.OneOf(MODALITIES))
    language = Language()
    active = fields.Boolean()
    q = Text(
        MAX_NAME_LENGTH, metadata={"description": "Substring of title, description or provider"}
    )


@blp.route("")
class Items(MethodView):
    """The catalog as a collection."""

    @requires()
    @blp.arguments(ItemQueryArgsSchema, location="query")
    @blp.response(200, ItemSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List catalog items"""
        page = list_items(session=db.session, **args, **paging(pagination_parameters))
        return paginate_page(page, pagination_parameters)

    @requires("catalog:write")
    @blp.arguments(ItemSchema)
    @blp.response(201, ItemSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    @blp.problems(409)
    def post(self, data):
        """Create a catalog item"""
        return create_response(ITEM, data, ItemSchema())


@blp.route("/<id:item_id>")
class ItemById(MethodView):
    """One catalog item."""

    @requires()
    @blp.response(200, ItemSchema, headers=ETAG_HEADER)
    @blp.reads_one()
    def get(self, item_id):
        """Get a catalog item"""
        return read_response(get_or_404(ITEM, item_id), ItemSchema())

    @requires("catalog:write")
    @blp.arguments(ItemPutSchema)
    @blp.response(200, ItemSchema, headers=ETAG_HEADER)
    @blp.alt_response(
        201, schema=ItemSchema, description="Created", headers={**ETAG_HEADER, **LOCATION_HEADER}
    )
    @blp.writes_or_creates()
    def put(self, data, item_id):
        """Create or replace a catalog item"""
        return put_response(ITEM, item_id, data, ItemSchema())

    @requires("catalog:write")
    @blp.arguments(merge_patch(ItemPatchSchema))
    @blp.response(200, ItemSchema, headers=ETAG_HEADER)
    @blp.writes_existing()
    def patch(self, changes, item_id):
        """Change some fields of a catalog item"""
        return patch_response(ITEM, item_id, changes, ItemSchema())

    @requires("catalog:write")
    @blp.response(200, ItemSchema, headers=ETAG_HEADER)
    @blp.writes_existing()
    def delete(self, item_id):
        """Retire a catalog item (it stays for completions; it is never recommended)"""
        precondition_for_delete(ITEM, item_id, ItemSchema())
        item = retire_item(session=db.session, item_id=item_id)
        db.session.commit()
        return read_response(item, ItemSchema())
