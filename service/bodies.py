"""Request bodies: the media types each endpoint reads, and JSON that is safe to hand on.

Both checks run before authentication's work is done and before any view parses the body,
so a hostile body is refused whole, with a problem that says what to fix, and never reaches
marshmallow, the database or a later ``GET`` (an unpaired surrogate stored today would make
every listing that includes it invalid JSON tomorrow).
"""

from __future__ import annotations

import io
import json
import re
import sys

import numpy as np
from flask import current_app, request
from flask_smorest import abort
from werkzeug.exceptions import HTTPException

from service.auth import CONSOLE_BLUEPRINT, TOKEN_ENDPOINT

JSON_TYPES = {"application/json", "application/merge-patch+json"}
CSV_TYPES = {"text/csv"}
# Deeper than any record the API takes (an import row nests four levels), far from the
# interpreter's recursion limit, which deeply nested JSON would otherwise reach.
MAX_JSON_DEPTH = 32
# A JSON string literal, written as an unrolled loop so long strings cost one pass.
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def check_content_type() -> None:
    """Refuse request bodies in media types the endpoint does not read (415)."""
    if request.method not in {"POST", "PUT", "PATCH"}:
        return
    if request.endpoint == TOKEN_ENDPOINT:
        return  # OAuth's form body; the token endpoint answers OAuth's own errors
    if request.blueprint == CONSOLE_BLUEPRINT:
        return  # the console's pages post HTML forms
    if request.routing_exception is not None:
        return  # no such path or method: that is the answer, whatever the body
    if not request.content_length and not request.headers.get("Transfer-Encoding"):
        return
    accepted = JSON_TYPES | (CSV_TYPES if request.path.endswith("/import") else set())
    if request.mimetype not in accepted:
        abort(
            415,
            message=(
                f"Send the body as {' or '.join(sorted(accepted))}, "
                f"not {request.mimetype or 'an unnamed media type'}."
            ),
        )


def check_body() -> None:
    """Read the whole body under the size limit, and refuse JSON no view could take safely.

    Reading it here makes a chunked body over ``MAX_CONTENT_LENGTH`` a 413 like any other,
    rather than an empty body that a view would call missing.
    """
    if request.method not in {"POST", "PUT", "PATCH"}:
        return
    if request.content_length is None and request.environ.get("wsgi.input_terminated"):
        _buffer_chunked_body()
    raw = request.get_data(cache=True)  # 413 past the limit when the length is declared
    if raw and request.mimetype in JSON_TYPES:
        check_json(raw)


def _buffer_chunked_body() -> None:
    """Read a body of undeclared length, refusing it (413) past the limit.

    Werkzeug stops reading such a stream at ``MAX_CONTENT_LENGTH`` without saying so, and a
    view would then see the body cut short. Read one byte more than allowed to know, then
    hand the views the body with its length declared.
    """
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    stream = request.environ["wsgi.input"]
    try:
        data = stream.read() if limit is None else stream.read(limit + 1)
    except HTTPException:
        raise
    except Exception:  # noqa: BLE001 - each server's reader has its own errors for bad framing
        # A chunk size that is no number or a chunk without its CRLF: nothing was read whole.
        abort(400, message="The chunked body is malformed; send it again, whole.")
    if limit is not None and len(data) > limit:
        abort(413, message=f"The body is larger than {limit} bytes; split it.")
    request.environ["wsgi.input"] = io.BytesIO(data)
    request.environ["CONTENT_LENGTH"] = str(len(data))


def json_depth(raw: bytes) -> int:
    """Return how deeply arrays and objects nest in JSON text, without parsing it.

    >>> json_depth(b'{"a": [1, {"b": "[[["}]}')
    3
    """
    text = np.frombuffer(_STRINGS.sub(b'""', raw), dtype=np.uint8)
    step = ((text == ord("[")) | (text == ord("{"))).astype(np.int32)
    step -= (text == ord("]")) | (text == ord("}"))
    return int(np.cumsum(step).max(initial=0))


def check_json(raw: bytes) -> None:
    """Refuse JSON no view could take safely: too deep, NaN, lone surrogates, huge numbers.

    Malformed JSON is left to the view's parser, which names the line and column.
    """
    if json_depth(raw) > MAX_JSON_DEPTH:
        abort(400, message=f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except _ConstantError as exc:
        abort(400, message=f"JSON has no {exc.args[0]}; send a number or null.")
    except (json.JSONDecodeError, UnicodeDecodeError):  # malformed: the view's parser says where
        return
    except ValueError:  # an integer longer than Python converts: the view's parser would fail
        abort(
            400,
            message=f"The JSON body holds a number of more than {sys.get_int_max_str_digits()} "
            "digits; send a shorter one.",
        )
    if b"\\" not in raw:
        # A lone surrogate can only come from an escape: raw text that decoded holds none, and
        # the backslash is byte 0x5C in UTF-8, -16 and -32 alike (json.loads reads all three).
        return
    try:
        # Encoding fails exactly on the lone surrogates ("\ud800") that valid Unicode lacks.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        abort(
            400,
            message="The JSON body holds an unpaired surrogate escape such as \\ud800; "
            "send valid Unicode text.",
        )


class _ConstantError(ValueError):
    """JSON text spelled NaN, Infinity or -Infinity, which JSON does not have."""


def _no_constant(name: str) -> float:
    raise _ConstantError(name)
