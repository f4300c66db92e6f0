"""Share links to an employee's active plan: /v1/employees/{id}/share-links.

A link's token is signed with the app's secret and names the link and a nonce; the page at
``/ui/share/<token>`` opens only while the link is stored, unrevoked and unexpired.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, url_for
from flask.views import MethodView
from itsdangerous import BadSignature, URLSafeSerializer
from marshmallow import fields, validate
from sqlalchemy.orm import Session

from catalog.console import app_secret, create_share_link, revoke_share_link
from catalog.models import utcnow
from service.auth import requires
from service.common import Blueprint
from service.config import MAX_SHARE_LINK_DAYS
from service.db import db
from service.fields import StrictSchema

blp = Blueprint(
    "share-links",
    __name__,
    url_prefix="/v1/employees",
    description="Signed, expiring, revocable links to an employee's active plan.",
)

SALT = "skillpath.share-link"


def _serializer(session: Session) -> URLSafeSerializer:
    secret = current_app.config["SKILLPATH_SECRET_KEY"] or app_secret(
        session=session, name="share-links"
    )
    return URLSafeSerializer(secret, salt=SALT)


def share_token(*, session: Session, link_id: str, nonce: str) -> str:
    """Return the signed token of a share link."""
    return _serializer(session).dumps([link_id, nonce])


def read_share_token(*, session: Session, token: str) -> tuple[str, str] | None:
    """Return the link id and nonce a token names, or None if its signature is not ours."""
    try:
        value = _serializer(session).loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return None
    return value[0], value[1]


class ShareLinkRequestSchema(StrictSchema):
    """How long a new share link stays valid."""

    expires_in_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=MAX_SHARE_LINK_DAYS),
        metadata={"description": "Days until the link expires (default SKILLPATH_SHARE_LINK_DAYS)"},
    )


class ShareLinkSchema(StrictSchema):
    """A share link: open its url in a browser or an LXP's iframe to see the active plan."""

    id = fields.String(metadata={"description": "Revoke with DELETE .../share-links/{id}"})
    url = fields.String(
        metadata={"example": "https://skillpath.example.com/ui/share/WyJhYmMiLCJkZWYiXQ.sig"}
    )
    expires_at = fields.DateTime()


def new_share_link(*, session: Session, employee_id: str, days: int) -> dict:
    """Create a share link to an employee's active plan and return its id, url and expiry.

    :raise NotFoundError: there is no such employee.
    """
    link, nonce = create_share_link(
        session=session,
        employee_id=employee_id,
        created_by=g.caller.name,
        expires_at=utcnow() + dt.timedelta(days=days),
    )
    token = share_token(session=session, link_id=link.id, nonce=nonce)
    return {
        "id": link.id,
        "url": url_for("ui.share", token=token, _external=True),
        "expires_at": link.expires_at,
    }


@blp.route("/<id:employee_id>/share-links")
class ShareLinks(MethodView):
    """An employee's share links."""

    @requires("recommend", "employees:read")
    @blp.arguments(ShareLinkRequestSchema, required=False)
    @blp.response(201, ShareLinkSchema)
    @blp.problems(404)
    def post(self, data, employee_id):
        """Create a signed, expiring link to the employee's active plan

        The page shows the active plan only (steps, dates, progress, why each step), may be
        framed by the origins in SKILLPATH_SHARE_FRAME_ANCESTORS, and answers 410 once the
        link is revoked or expired. The url is shown once.
        """
        days = (data or {}).get("expires_in_days") or current_app.config[
            "SKILLPATH_SHARE_LINK_DAYS"
        ]
        link = new_share_link(session=db.session, employee_id=employee_id, days=days)
        db.session.commit()
        return link, 201


@blp.route("/<id:employee_id>/share-links/<id:link_id>")
class ShareLinkById(MethodView):
    """One share link."""

    @requires("recommend", "employees:read")
    @blp.response(204)
    @blp.problems(404)
    def delete(self, employee_id, link_id):
        """Revoke a share link: its page answers 410 from now on

        A link never changes, so revoking races with nothing and needs no If-Match.
        """
        revoke_share_link(session=db.session, employee_id=employee_id, link_id=link_id)
        db.session.commit()
