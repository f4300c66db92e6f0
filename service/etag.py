"""Entity tags for single resources: strong ETags on reads, If-Match on writes."""

from __future__ import annotations

import hashlib

from flask import abort, json, request
from werkzeug.http import unquote_etag


def etag_of(representation: object) -> str:
    """Return the quoted strong ETag of a dumped representation."""
    canonical = json.dumps(representation, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def check_if_match(current: str | None) -> None:
    """Enforce If-Match on a write to a resource whose ETag is ``current`` (None: absent).

    A write to an existing resource needs If-Match (428 without it, 412 if stale);
    ``If-Match: *`` overwrites whatever is there. Creating with PUT needs no precondition.
    """
    if current is None:
        if request.if_match and not request.if_match.star_tag:
            abort(412, description="If-Match names a version, but the resource does not exist.")
        return
    if not request.headers.get("If-Match"):
        abort(
            428,
            description=(
                "This write needs an If-Match header: the ETag from a GET of the resource, "
                "or '*' to overwrite whatever is there."
            ),
        )
    if not request.if_match.contains_raw(current) and not request.if_match.star_tag:
        abort(
            412, description="The resource changed since it was read (ETag mismatch); GET it again."
        )


def not_modified(current: str) -> bool:
    """Tell whether a GET's If-None-Match already names ``current``.

    If-None-Match compares weakly (RFC 9110, 13.1.2): ``W/"x"`` names the same version as ``"x"``.
    """
    if not request.if_none_match:
        return False
    return request.if_none_match.contains_weak(unquote_etag(current)[0])
