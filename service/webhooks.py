"""Webhook subscriptions and what was sent to them: /v1/webhooks (admin only)."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from marshmallow import fields, validate

from catalog.vocabulary import MAX_URL_LENGTH, WEBHOOK_EVENTS
from catalog.webhooks import (
    ABANDONED,
    DELIVERED,
    PENDING,
    change_webhook,
    create_webhook,
    delete_webhook,
    get_webhook,
    list_deliveries,
    list_webhooks,
)
from service.auth import requires
from service.common import (
    ETAG_HEADER,
    LOCATION_HEADER,
    PAGING,
    Blueprint,
    ChangesArgsSchema,
    ListArgsSchema,
    merge_patch,
    paginate_page,
    paging,
    read_response,
)
from service.db import db
from service.etag import check_if_match, etag_of
from service.fields import URL_PATTERN, Pattern, StrictSchema

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/v1/webhooks",
    description=(
        "Events pushed to your HTTPS endpoint, signed as Standard Webhooks, sent at least once "
        "and in order per subscription."
    ),
)


class WebhookSchema(StrictSchema):
    """A webhook subscription: the URL events are sent to, and which events."""

    id = fields.String(dump_only=True, metadata={"example": "3f1c2b9e-8a47-4d0e-9b1a-5c6d7e8f9a0b"})
    url = fields.String(
        required=True,
        validate=[
            validate.Length(max=MAX_URL_LENGTH),
            Pattern(URL_PATTERN, error="Use an https URL with a host name."),
        ],
        metadata={
            "description": (
                "An https URL on a public address (http and private addresses only for hosts "
                "in SKILLPATH_WEBHOOK_ALLOW_HOSTS); redirects are not followed"
            ),
            "example": "https://hooks.example.com/skillpath",
        },
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(WEBHOOK_EVENTS)),
        required=True,
        validate=validate.Length(min=1, max=len(WEBHOOK_EVENTS)),
        metadata={
            "description": "Event types to send: " + ", ".join(WEBHOOK_EVENTS),
            "example": ["plan.completed", "catalog.changed"],
        },
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class NewWebhookSchema(WebhookSchema):
    """A new subscription with its signing secret: store it now, it is not shown again."""

    secret = fields.String(
        dump_only=True,
        metadata={
            "description": "Standard Webhooks signing secret: whsec_ and the base64 of the key",
            "example": "whsec_goIkVnSBB3lSU7dBXw70QwmZ9bb165J5Jk2LZDse2is=",
        },
    )


class WebhookPatchSchema(WebhookSchema):
    """Fields of a subscription to change (a JSON merge patch); the secret stays."""


class WebhookQueryArgsSchema(ChangesArgsSchema):
    """Filters of the webhook subscriptions listing."""


class DeliveryAttemptSchema(StrictSchema):
    """One try at sending an event, and the receiver's answer or what went wrong."""

    attempted_at = fields.DateTime(dump_only=True)
    status_code = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "The HTTP status answered"}
    )
    error = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Why no 2xx came: the status, a timeout, a refused address"},
    )
    duration_ms = fields.Integer(dump_only=True, metadata={"description": "Milliseconds taken"})


class WebhookDeliverySchema(StrictSchema):
    """One event for one subscription: its state and every attempt to send it."""

    id = fields.Integer(dump_only=True)
    message_id = fields.Function(
        lambda delivery: delivery.event.message_id,
        dump_only=True,
        metadata={"description": "The webhook-id header: the same on every attempt"},
    )
    event = fields.Function(
        lambda delivery: delivery.event.type, dump_only=True, metadata={"example": "plan.created"}
    )
    payload = fields.Function(
        lambda delivery: delivery.event.payload,
        dump_only=True,
        metadata={"description": "The event's data, as the body's data field carries it"},
    )
    status = fields.String(
        dump_only=True,
        metadata={"description": "pending, delivered, or abandoned after the last attempt"},
    )
    due_at = fields.DateTime(dump_only=True)
    next_attempt_at = fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "When it is tried next"}
    )
    finished_at = fields.DateTime(dump_only=True, allow_none=True)
    attempts = fields.List(
        fields.Nested(DeliveryAttemptSchema),
        attribute="tries",
        dump_only=True,
        metadata={"description": "Every attempt so far, oldest first"},
    )


class DeliveryQueryArgsSchema(ListArgsSchema):
    """Filters of a subscription's deliveries."""

    status = fields.String(validate=validate.OneOf((PENDING, DELIVERED, ABANDONED)))


def _allowed_hosts() -> str:
    return current_app.config["SKILLPATH_WEBHOOK_ALLOW_HOSTS"]


@blp.route("")
class Webhooks(MethodView):
    """Webhook subscriptions as a collection."""

    @requires("admin")
    @blp.arguments(WebhookQueryArgsSchema, location="query")
    @blp.response(200, WebhookSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List webhook subscriptions"""
        page = list_webhooks(session=db.session, **args, **paging(pagination_parameters))
        return paginate_page(page, pagination_parameters)

    @requires("admin")
    @blp.arguments(WebhookSchema)
    @blp.response(201, NewWebhookSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Subscribe a URL to events (the signing secret is shown once)"""
        webhook = create_webhook(session=db.session, **data, allow_hosts=_allowed_hosts())
        db.session.commit()
        headers = {
            "ETag": etag_of(WebhookSchema().dump(webhook)),
            "Location": f"{request.path}/{webhook.id}",
        }
        return webhook, 201, headers


@blp.route("/<id:webhook_id>")
class WebhookById(MethodView):
    """One webhook subscription."""

    @requires("admin")
    @blp.response(200, WebhookSchema, headers=ETAG_HEADER)
    @blp.reads_one()
    def get(self, webhook_id):
        """Get a webhook subscription"""
        return read_response(
            get_webhook(session=db.session, webhook_id=webhook_id), WebhookSchema()
        )

    @requires("admin")
    @blp.arguments(merge_patch(WebhookPatchSchema))
    @blp.response(200, WebhookSchema, headers=ETAG_HEADER)
    @blp.writes_existing()
    def patch(self, changes, webhook_id):
        """Change a webhook subscription's URL or events"""
        webhook = get_webhook(session=db.session, webhook_id=webhook_id, for_update=True)
        check_if_match(etag_of(WebhookSchema().dump(webhook)))
        change_webhook(
            session=db.session, webhook=webhook, changes=changes, allow_hosts=_allowed_hosts()
        )
        db.session.commit()
        return webhook, 200, {"ETag": etag_of(WebhookSchema().dump(webhook))}

    @requires("admin")
    @blp.response(204)
    @blp.writes_existing()
    def delete(self, webhook_id):
        """Delete a webhook subscription and its deliveries"""
        webhook = get_webhook(session=db.session, webhook_id=webhook_id, for_update=True)
        check_if_match(etag_of(WebhookSchema().dump(webhook)))
        delete_webhook(session=db.session, webhook=webhook)
        db.session.commit()


@blp.route("/<id:webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    """What was sent to one subscription."""

    @requires("admin")
    @blp.arguments(DeliveryQueryArgsSchema, location="query")
    @blp.response(200, WebhookDeliverySchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, webhook_id, pagination_parameters):
        """List a subscription's deliveries and their attempts, latest first"""
        page = list_deliveries(
            session=db.session, webhook_id=webhook_id, **args, **paging(pagination_parameters)
        )
        return paginate_page(page, pagination_parameters)
