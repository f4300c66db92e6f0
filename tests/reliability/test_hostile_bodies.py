"""Whole bodies no write operation should take, and bodies over the limit or badly framed.

Every documented write with a body gets bodies spoiled as a whole (empty, mistyped, malformed,
mis-encoded, deeply nested, bare scalars) and bodies one byte over the limit or with broken
chunking: each must be refused as problem+json, with every table of the database as it was.
"""

from __future__ import annotations

from functools import partial

import pytest

from tests.reliability import hostile
from tests.reliability.corpus import Corpus, declared_over_the_limit, framed, over_the_limit
from tests.reliability.hostile_corpus import (
    assert_no_problems,
    check_answer,
    json_schema,
    target,
    valid_body,
    write_operations,
)
from tests.reliability.hostile_fixtures import *  # noqa: F403 - the fixtures its tests take

pytestmark = pytest.mark.reliability


def whole_bodies(
    valid: bytes, *, rows: bool, optional: bool = False
) -> list[tuple[str, bytes, str | None]]:
    """Return labelled bodies no JSON endpoint should take as they are, and their media types.

    ``valid`` is a valid body; most cases spoil it in one place. ``rows`` says it is an array;
    ``optional`` that the operation may be called without a body (then an empty one is valid).
    """
    json_type = "application/json"
    opening = valid.index(b"{") + 1
    first_key = valid[opening : valid.index(b":", opening)]

    def inside(bad: bytes) -> bytes:
        if b'": "' in valid:  # into the first string value
            first = valid.index(b'": "') + 4
            return valid[:first] + bad + valid[first:]
        # A body of numbers alone (a share link's days): into a string of its own.
        return valid[:opening] + first_key + b': "' + bad + b'", ' + valid[opening:]

    duplicate = valid[:opening] + first_key + b': "\\u202e", ' + valid[opening:]
    bodies = [
        *([] if optional else [("empty body", b"", json_type)]),
        ("no media type", valid, None),
        ("text/plain", valid, "text/plain"),
        ("form", b"name=x&id=y", "application/x-www-form-urlencoded"),
        ("multipart", b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
         "multipart/form-data; boundary=b"),
        ("invalid UTF-8", inside(b"\xff\xfe"), json_type),
        ("UTF-8 encoded surrogate", inside(b"\xed\xa0\x80"), json_type),
        ("overlong UTF-8", inside(b"\xc0\xaf"), json_type),
        ("UTF-8 BOM", b"\xef\xbb\xbf" + valid, json_type),
        ("UTF-16", valid.decode().encode("utf-16"), json_type),
        ("UTF-16 declared", valid.decode().encode("utf-16"), json_type + "; charset=utf-16"),
        ("raw control character", inside(b"\x01"), json_type),
        ("truncated", valid[:-1], json_type),
        ("trailing garbage", valid + b" x", json_type),
        ("two documents", valid + valid, json_type),
        ("single quotes", valid.replace(b'"', b"'"), json_type),
        ("duplicate key", duplicate, json_type),
        ("JSON null", b"null", json_type),
        ("JSON string", b'"x"', json_type),
        ("JSON number", b"1", json_type),
        ("JSON true", b"true", json_type),
        ("object where an array goes" if rows else "array where an object goes",
         valid[1:-1] if rows else b"[" + valid + b"]", json_type),
        ("arrays nested 100 deep", hostile.DEEP_ARRAY.text.encode(), json_type),
        ("objects nested 100 deep", hostile.DEEP_OBJECT.text.encode(), json_type),
        ("NaN", b"NaN", json_type),
        ("-Infinity", b"-Infinity", json_type),
        ("10**5000", b"1" + b"0" * 5000, json_type),
    ]  # fmt: skip
    if not rows:
        bodies.append(("CSV", b"id,name\nx,y\n", "text/csv"))
    return bodies


def test_bodies_no_parser_should_take_are_refused(corpus: Corpus, document, loop_records):
    """Empty, mistyped, malformed, mis-encoded, deeply nested and bare-scalar bodies."""
    start = len(corpus.tally.problems)
    for method, template, operation in write_operations(document):
        if not json_schema(operation):
            continue
        rows = template.endswith("/import")
        optional = not operation["requestBody"].get("required", False)
        cases = whole_bodies(valid_body(corpus, method, template)[1], rows=rows, optional=optional)
        for case in range(len(cases)):
            n, valid = valid_body(corpus, method, template)  # fresh ids for each case
            label, raw, content_type = whole_bodies(valid, rows=rows, optional=optional)[case]
            url, headers, read_back = target(corpus, method, template, n)
            what = f"{method} {template} body={label}"
            answer = corpus.send(
                what, method, url, raw=raw, content_type=content_type, headers=headers
            )
            check_answer(
                corpus, what, answer, text_sent=raw, method=method, template=template,
                read_back=read_back,
            )  # fmt: skip
    assert_no_problems(corpus, start)


# Chunked bodies a server's reader cannot take apart: (label, chunks as sent).
BAD_FRAMING = [
    ("a chunk size that is no number", [b"zz\r\n[]\r\n0\r\n\r\n"]),
    ("a chunk without its CRLF", [b"2\r\n[]XX0\r\n\r\n"]),
]


def test_bodies_over_the_limit_or_badly_framed_are_refused(corpus: Corpus, document, loop_records):
    """One byte over the limit by Content-Length or chunked (413), and broken chunking (400)."""
    start = len(corpus.tally.problems)
    live = corpus.live
    for method, template, operation in write_operations(document):
        if "requestBody" not in operation:
            continue
        url, _, _ = target(corpus, method, template, corpus.fresh())
        cases = [("over the limit, Content-Length", 413, declared_over_the_limit)]
        cases.append(("over the limit, chunked", 413, partial(framed, chunks=over_the_limit(live))))
        for label, chunks in BAD_FRAMING:
            cases.append((label, 400, partial(framed, chunks=chunks)))
        for label, status, send in cases:
            what = f"{method} {template} body {label}"
            answer = corpus.count(what, partial(send, live, method, url))
            if answer is None:
                continue
            if answer.status != status:
                corpus.problem(what, f"answered {answer.status}, not {status}")
            corpus.refused(what, answer)
    assert_no_problems(corpus, start)
