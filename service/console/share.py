"""The shared plan page, /ui/share/<token>: an employee's active plan and nothing else about them.

The token is the credential: no session, no key. The page may be framed only by the origins
in ``SKILLPATH_SHARE_FRAME_ANCESTORS`` (service/headers.py); a revoked or expired link is a
plain 410 page.
"""

from __future__ import annotations

from flask import render_template

from catalog.console import open_share_link
from service.console.base import blp
from service.console.people import active_plans
from service.db import db
from service.share_links import read_share_token


@blp.get("/share/<token>")
def share(token: str):
    """Show the active plan a share link names."""
    named = read_share_token(session=db.session, token=token)
    db.session.commit()  # the signing secret, if this request generated it
    if named is None:
        return render_template("ui/gone.html", reason="unknown"), 404
    state = open_share_link(session=db.session, link_id=named[0], nonce=named[1])
    if state.gone:
        return render_template("ui/gone.html", reason=state.gone), 410
    return render_template("ui/share.html", plans=active_plans(state.employee_id))
