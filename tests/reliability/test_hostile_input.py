"""Hostile input to every write operation of a live server, field by field.

The matrix comes from the OpenAPI document: every POST, PUT, PATCH and DELETE it lists, every
field of their request bodies, the hostile values of that field's type (``hostile.py``), plus
ids that name other paths and preconditions. Whole bodies no parser should take, imports (JSON
and CSV) and the OAuth token endpoint have modules of their own (``test_hostile_*.py``); the
valid bodies and the live server they all start from are in ``hostile_corpus.py``.

For every request: no 5xx; a refusal is problem+json with a ``detail`` (and, for a 422, an
``errors[].field`` naming the hostile field) and leaves every table of the database as it was;
an acceptance reads back exactly as sent, strings byte for byte. The figures (requests tried,
5xx seen, refusals checked against the database, round trips) are printed at the end of the run.
"""

from __future__ import annotations

import re

import pytest

from tests.reliability import hostile, loop_corpus
from tests.reliability.corpus import Corpus
from tests.reliability.hostile import dumps, show
from tests.reliability.hostile_corpus import (
    BODIES,
    assert_no_problems,
    check_answer,
    json_schema,
    target,
    valid_body,
    write_operations,
)
from tests.reliability.hostile_fixtures import *  # noqa: F403 - the fixtures its tests take

pytestmark = pytest.mark.reliability


def test_every_write_operation_and_field_has_a_valid_body(corpus: Corpus, document):
    """The matrix covers the document: each write with a body has one, holding every field."""
    with_bodies = {(m, p): op for m, p, op in write_operations(document) if json_schema(op)}
    assert sorted(with_bodies) == sorted(BODIES), "a write operation without a valid body here"
    for key, operation in with_bodies.items():
        schema = hostile.record_schema(json_schema(operation), document)
        fields = {f.path for f in hostile.fields_of(schema, document)}
        covered = {f for f in fields for make in BODIES[key] if hostile.has(make(0), f)}
        assert fields == covered, (key, sorted(map(show, fields - covered)))


def test_the_valid_bodies_are_accepted_and_read_back(corpus: Corpus, document, loop_records):
    """Every valid body is taken: otherwise each hostile case would be refused for nothing."""
    start = len(corpus.tally.problems)
    for method, template, _ in write_operations(document):
        for make in BODIES.get((method, template), []):
            n = corpus.fresh()
            body = make(n)
            path, headers, read_back = target(corpus, method, template, n)
            what = f"{method} {template} valid body"
            sent = dumps(body)
            answer = corpus.send(what, method, path, raw=sent.encode(), headers=headers)
            assert answer is not None and answer.status < 300, (what, answer)
            check_answer(
                corpus, what, answer, text_sent=sent, method=method, template=template,
                read_back=read_back,
            )  # fmt: skip
    assert_no_problems(corpus, start)


def _field_cases(document, method, template, operation):
    """Yield (valid body maker, field path, label, value) for one operation, each case once."""
    schema = hostile.record_schema(json_schema(operation), document)
    seen: set = set()
    for make in BODIES[(method, template)]:
        for path, label, value in hostile.cases(make(0), schema, document):
            if (path, label) not in seen:
                seen.add((path, label))
                yield make, path, label, value


@pytest.mark.parametrize(
    "resource",
    [
        "skills",
        "items",
        "roles",
        "employees",
        "recommendations",
        "api-keys",
        "loop",
        "oauth",
        "webhooks",
    ],
)
def test_hostile_fields_are_refused_cleanly_or_stored_as_sent(
    corpus: Corpus, document, loop_records, resource
):
    """Every field of every write body x every hostile value of its type (and unknown fields)."""
    start = len(corpus.tally.problems)
    for method, template, operation in write_operations(document):
        if (method, template) not in BODIES or template.endswith("/import"):
            continue
        if resource == "recommendations":
            in_group = template.endswith("learning-paths")
        elif resource == "loop":
            in_group = template in loop_corpus.LOOP
        else:
            prefix = "/v1/oauth-clients" if resource == "oauth" else f"/v1/{resource}"
            in_group = template.startswith(prefix) and not (
                template.endswith("learning-paths") or template in loop_corpus.LOOP
            )
        if not in_group:
            continue
        for make, path, label, value in _field_cases(document, method, template, operation):
            n = corpus.fresh()
            body = hostile.replaced(make(n), path, value)
            url, headers, read_back = target(corpus, method, template, n)
            what = f"{method} {template} {show(path)}={label}"
            sent = dumps(body)
            answer = corpus.send(what, method, url, raw=sent.encode(), headers=headers)
            check_answer(
                corpus, what, answer, text_sent=sent, method=method, template=template,
                read_back=read_back, fields=(show(path),),
            )  # fmt: skip
    assert_no_problems(corpus, start)


# Ids in paths: the words and characters that would name another resource, or none.
PATH_IDS = [
    ("empty", ""),
    ("dot", "."),
    ("dot dot", ".."),
    ("encoded dot dot", "%2E%2E"),
    ("import", "import"),
    ("resolve", "resolve"),
    ("slash", "a/b"),
    ("encoded slash", "a%2Fb"),
    ("traversal", "..%2F..%2Fopenapi.json"),
    ("NUL", "a%00b"),
    ("RTL override", "%E2%80%AEx"),
    ("zero-width joiner", "a%E2%80%8Db"),
    ("trailing newline", "tail%0A"),
    ("space", "%20"),
    ("question mark", "a%3Fb%3D1"),
    ("129 characters", "x" * 129),
    ("encoded surrogate", "%ED%A0%80"),
    ("invalid UTF-8", "%FF"),
]
KEY_IDS = [
    ("zero", "0"),
    ("negative", "-1"),
    ("2**31", "2147483648"),
    ("2**64", "18446744073709551616"),
    ("exponent", "1e3"),
    ("fraction", "1.0"),
    ("plus", "%2B1"),
    ("Arabic-Indic digit", "%D9%A3"),
    ("fullwidth digit", "%EF%BC%91"),
]


def test_hostile_ids_in_paths_name_nothing(corpus: Corpus, document, fixed_records):
    """Every operation on one record, with ids that are no ids, or would name another path."""
    start = len(corpus.tally.problems)
    for method, template, operation in write_operations(document):
        if "{" not in template:
            continue
        ids = PATH_IDS + (KEY_IDS if "{key_id}" in template else [])
        for label, ident in ids:
            url = re.sub(r"\{\w+\}", ident, template)
            what = f"{method} {template} path id={label}"
            raw = None
            if json_schema(operation):
                raw = valid_body(corpus, method, template)[1]
            answer = corpus.send(what, method, url, raw=raw, headers={"If-Match": "*"})
            if answer is not None and answer.status < 300:
                corpus.problem(what, f"an id that is no id was taken: {answer.status}")
                corpus.resync()
            elif answer is not None:
                corpus.refused(what, answer)
    assert_no_problems(corpus, start)


def stored_url(loop_records: dict[str, str], method: str, template: str, ident: str) -> str:
    """Return the URL of the stored record an operation acts on: the loop's, or ``ident``."""
    return (
        loop_records.get(f"{method} {template}")
        or loop_records.get(template)
        or re.sub(r"\{\w+\}", ident, template)
    )


IF_MATCH = [
    ("absent", None),
    ("empty", ""),
    ("stale", '"0123456789abcdef0123456789abcdef"'),
    ("weak", 'W/"0123456789abcdef"'),
    ("unquoted", "0123456789abcdef"),
    ("unterminated", '"0123'),
    ("list of stale ones", '"a", "b", W/"c"'),
    ("non-ASCII", '"\u00e9t\u00e9"'),
    ("4,000 characters", '"' + "a" * 4000 + '"'),
]


def test_preconditions_that_do_not_match_change_nothing(
    corpus: Corpus, document, fixed_records, loop_records
):
    """Writes of stored records that take If-Match, with it missing, stale or malformed."""
    start = len(corpus.tally.problems)
    for method, template, operation in write_operations(document):
        if not any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
            continue
        kind = template.split("/")[2]
        ident = f"h.{kind}.doomed" if method == "DELETE" else f"h.{kind}.fixed"
        url = stored_url(loop_records, method, template, ident)
        for label, value in IF_MATCH:
            raw = None
            if json_schema(operation):
                raw = valid_body(corpus, method, template)[1]
            elif method == "DELETE":
                raw = b'{"force": true}'  # a body a DELETE does not read
            headers = {} if value is None else {"If-Match": value}
            what = f"{method} {template} If-Match {label}"
            answer = corpus.send(what, method, url, raw=raw, headers=headers)
            if answer is not None and answer.status not in (412, 428):
                corpus.problem(what, f"answered {answer.status}, not 412 or 428")
            if answer is not None:
                corpus.refused(what, answer)
    assert_no_problems(corpus, start)


def test_deletes_with_a_matching_precondition_take_effect(
    corpus: Corpus, document, fixed_records, loop_records
):
    """After all the refusals, a DELETE with the record's ETag does what it says."""
    start = len(corpus.tally.problems)
    created = corpus.request("POST", "/v1/api-keys", raw=b'{"name": "doomed", "scopes": ["admin"]}')
    assert created.status == 201, created.body
    for method, template, _ in write_operations(document):
        if method != "DELETE":
            continue
        kind = template.split("/")[2]
        ident = str(created.body["id"]) if kind == "api-keys" else f"h.{kind}.doomed"
        url = stored_url(loop_records, method, template, ident)
        etag = corpus.request("GET", url).headers.get("etag", "*")
        answer = corpus.send(f"DELETE {template}", "DELETE", url, headers={"If-Match": etag})
        assert answer is not None and answer.status in (200, 204), (template, answer)
        after = corpus.request("GET", url)
        if template in loop_records or f"DELETE {template}" in loop_records:
            assert loop_corpus.deleted(corpus, template, url) is None, template
        elif kind == "items":
            assert after.status == 200 and after.body["active"] is False, after
        elif kind == "api-keys":
            keys = corpus.request("GET", "/v1/api-keys?page_size=500").body
            assert any(k["id"] == int(ident) and k["revoked_at"] for k in keys)
        else:
            assert after.status == 404, after
        corpus.resync()
    assert_no_problems(corpus, start)
