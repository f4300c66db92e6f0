"""Hostile input to every write operation of a live server, field by field.

The matrix comes from the OpenAPI document: every POST, PUT, PATCH and DELETE it lists, every
field of their request bodies, the hostile values of that field's type (``hostile.py``), plus
bodies no parser should take, ids that name other paths, preconditions and CSV imports.

For every request: no 5xx; a refusal is problem+json with a ``detail`` (and, for a 422, an
``errors[].field`` naming the hostile field) and leaves every table of the database as it was;
an acceptance reads back exactly as sent, strings byte for byte. The figures (requests tried,
5xx seen, refusals checked against the database, round trips) are printed at the end of the run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import DATABASES
from tests.reliability import hostile, loop_corpus
from tests.reliability.conftest import Answer, LiveServer, report_figure, serve
from tests.reliability.corpus import (
    Corpus,
    Tables,
    Tally,
    declared_over_the_limit,
    differs,
    framed,
    names,
    over_the_limit,
)
from tests.reliability.hostile import dumps, show

pytestmark = pytest.mark.reliability

TODAY = dt.datetime.now(dt.UTC).date()
RECENT = (TODAY - dt.timedelta(days=30)).isoformat()
LATER = (TODAY + dt.timedelta(days=365)).isoformat()
RESOURCES = ("skills", "items", "roles", "employees")
SEED = {
    "skills": [
        {"id": "seed.a", "name": "Seed A"},
        {"id": "seed.b", "name": "Seed B"},
        {"id": "seed.p", "name": "Seed P"},
    ],
    "items": [
        {
            "id": "seed.item",
            "kind": "course",
            "title": "Seed course",
            "modality": "self_paced",
            "duration_hours": 4,
            "skills": [{"skill": "seed.a", "level": 2}],
        }
    ],
    "roles": [
        {"id": "seed.role", "title": "Seed role", "competencies": [{"skill": "seed.a", "level": 4}]}
    ],
    "employees": [
        {
            "id": "seed.emp",
            "target_roles": ["seed.role"],
            "skills": [{"skill": "seed.a", "level": 1}],
        }
    ],
}


# -- valid bodies, with every documented field ---------------------------------------------------


def skill(n: int) -> dict[str, Any]:
    """Return a valid skill holding every field a client may write."""
    return {
        "id": f"h.skill.{n}",
        "name": f"Hostile skill {n}",
        "aliases": [f"hostile alias {n}"],
        "category": "corpus",
        "description": "A skill of the hostile corpus.",
        "external_ids": {"esco": f"http://data.europa.eu/esco/skill/h{n}"},
    }


def item(n: int) -> dict[str, Any]:
    """Return a valid catalog item holding every field a client may write."""
    return {
        "id": f"h.item.{n}",
        "kind": "certification",
        "title": f"Hostile course {n}",
        "description": "An item of the hostile corpus.",
        "provider": "Corpus Academy",
        "url": f"https://learn.example.com/courses/{n}",
        "language": "en",
        "modality": "self_paced",
        "duration_hours": 12.5,
        "cost": 100,
        "currency": "EUR",
        "skills": [{"skill": "seed.a", "level": 3}],
        "prerequisites": [{"skill": "seed.p", "level": 1}],
        "requires_items": ["seed.item"],
        "valid_months": 24,
        "active": True,
        "external_ids": {"xapi": f"https://lrs.example.com/activities/{n}"},
    }


def role(n: int) -> dict[str, Any]:
    """Return a valid role holding every field a client may write."""
    return {
        "id": f"h.role.{n}",
        "title": f"Hostile role {n}",
        "description": "A role of the hostile corpus.",
        "family": "corpus",
        "alternate_titles": [f"Corpus role {n}"],
        "external_ids": {"onet": "15-1252.00"},
        "competencies": [{"skill": "seed.a", "level": 3, "weight": 0.5}],
    }


def employee(n: int) -> dict[str, Any]:
    """Return a valid employee profile holding every field a client may write."""
    return {
        "id": f"h.employee.{n}",
        "resolve": False,
        "display_name": f"Hostile employee {n}",
        "team": "corpus",
        "current_role": "seed.role",
        "target_roles": ["seed.role"],
        "email": f"employee{n}@corpus.example.com",
        "skills": [{"skill": "seed.a", "level": 2, "source": "manager", "assessed_at": RECENT}],
        "completed": [
            {
                "item": "seed.item",
                "completed_at": RECENT,
                "expires_at": LATER,
                "score": 0.9,
                "source": "lms",
            }
        ],
        "preferences": {
            "hours_per_week": 5,
            "budget": 1000,
            "modalities": ["self_paced"],
            "languages": ["en"],
            "mentor": True,
        },
    }


BUILDERS = {"skills": skill, "items": item, "roles": role, "employees": employee}


def without_id(body: dict[str, Any]) -> dict[str, Any]:
    """Return a record as PUT and PATCH take it: the path names it."""
    return {name: value for name, value in body.items() if name != "id"}


# The valid bodies each write operation's hostile cases start from, by (method, path). A body
# may come in variants when the document says "one of"; every field must be in one of them.
BODIES: dict[tuple[str, str], list[Callable[[int], Any]]] = {
    ("POST", "/v1/skills"): [skill],
    ("PUT", "/v1/skills/{skill_id}"): [lambda n: without_id(skill(n))],
    ("POST", "/v1/items"): [item],
    ("PUT", "/v1/items/{item_id}"): [lambda n: without_id(item(n))],
    ("PATCH", "/v1/items/{item_id}"): [lambda n: without_id(item(n))],
    ("POST", "/v1/roles"): [role],
    ("PUT", "/v1/roles/{role_id}"): [lambda n: without_id(role(n))],
    ("PUT", "/v1/employees/{employee_id}"): [lambda n: without_id(employee(n))],
    ("PATCH", "/v1/employees/{employee_id}"): [lambda n: without_id(employee(n))],
    ("POST", "/v1/employees/{employee_id}/learning-paths"): [
        lambda n: {"role": "seed.role", "constraints": loop_corpus.constraints()}
    ],
    ("POST", "/v1/learning-paths"): [
        lambda n: {
            "profile": {
                "skills": [{"skill": "seed.a", "level": 1}],
                "completed": [{"item": "seed.item", "completed_at": RECENT, "expires_at": LATER}],
                "resolve": False,
            },
            "target": {
                "title": "Inline target",
                "competencies": [{"skill": "seed.a", "level": 4, "weight": 0.8}],
            },
            "constraints": loop_corpus.constraints(),
        },
        lambda n: {"profile": {}, "target": {"role": "seed.role"}},
    ],
    ("POST", "/v1/api-keys"): [lambda n: {"name": f"hostile key {n}", "scopes": ["recommend"]}],
    **{
        ("POST", f"/v1/{kind}/import"): [lambda n, kind=kind: [BUILDERS[kind](n)]]
        for kind in RESOURCES
    },
    **loop_corpus.BODIES,
}
# Every documented CSV column of each import, as a cell of a valid row.
CSV_ROWS: dict[str, Callable[[int], dict[str, str]]] = {
    "skills": lambda n: {
        "id": f"h.csv.skill.{n}",
        "name": f"CSV skill {n}",
        "aliases": f"csv alias {n}|other alias {n}",
        "category": "corpus",
        "description": "From a spreadsheet.",
        "external_ids": f"esco=http://data.europa.eu/esco/skill/c{n}",
    },
    "items": lambda n: {
        "id": f"h.csv.item.{n}",
        "kind": "course",
        "title": f"CSV course {n}",
        "description": "From a spreadsheet.",
        "provider": "Corpus Academy",
        "url": f"https://learn.example.com/csv/{n}",
        "language": "en",
        "modality": "blended",
        "duration_hours": "8",
        "cost": "99.5",
        "currency": "USD",
        "skills": "seed.a:3|seed.b:2",
        "prerequisites": "seed.p:1",
        "requires_items": "seed.item",
        "valid_months": "12",
        "active": "true",
    },
    "roles": lambda n: {
        "id": f"h.csv.role.{n}",
        "title": f"CSV role {n}",
        "description": "From a spreadsheet.",
        "family": "corpus",
        "alternate_titles": f"CSV title {n}|Other title {n}",
        "external_ids": "onet=15-1252.00",
        "competencies": "seed.a:3:0.5|seed.b:2:1",
    },
    "employees": lambda n: {
        "id": f"h.csv.employee.{n}",
        "display_name": f"CSV employee {n}",
        "team": "corpus",
        "current_role": "seed.role",
        "target_roles": "seed.role",
        "skills": "seed.a:2:manager|seed.b:1",
        "completed": f"seed.item@{RECENT}",
        "hours_per_week": "4",
        "budget": "800",
        "modalities": "self_paced|blended",
        "languages": "en|de",
    },
}
# Cells a spreadsheet, an export from another system or an attacker puts in a CSV import.
CELLS: list[tuple[str, str]] = [
    ("formula", hostile.FORMULA),
    ("formula +", "+1+2"),
    ("formula -", "-3+4"),
    ("formula @", "@SUM(1,2)"),
    ("DDE", "=cmd|' /C calc'!A0"),
    ("RTL override", "\u202egnp.exe"),
    ("zero-width joiners", "zw\u200dj\u200b"),
    ("control characters", "ctl\x01\x1b[2J"),
    ("NUL", "a\x00b"),
    ("10,000 characters", hostile.LONG),
    ("quotes", 'say "hi"'),
    ("line break", "two\nlines"),
    ("comma", "a,b"),
    ("empty", ""),
    ("dot dot", ".."),
    ("import", "import"),
    ("slash", "a/b"),
    ("bar", "|"),
    ("colons", "::"),
    ("nan", "nan"),
    ("1e309", "1e309"),
    ("-0", "-0"),
    ("Arabic-Indic three", "\u0663"),
]


# -- the fixture: one live server, seeded, and the corpus's tally --------------------------------


@pytest.fixture(scope="module", params=DATABASES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A live server for this module, logging only failures: refusals here number thousands."""
    with serve(
        request.param, tmp_path_factory.mktemp("live"), SKILLPATH_LOG_LEVEL="ERROR"
    ) as server:
        yield server


@pytest.fixture(scope="module")
def corpus(live: LiveServer, request: pytest.FixtureRequest) -> Iterator[Corpus]:
    """Seed the live server with the records hostile bodies refer to; yield the corpus."""
    for kind, rows in SEED.items():
        answer = live.request("POST", f"/v1/{kind}/import", body=rows)
        assert answer.status == 200, answer.body
    tables = Tables(live.database)
    tally = Tally(make_url(live.database).get_backend_name())
    try:
        yield Corpus(live, tables, tally)
    finally:
        tables.close()
        report_figure(request.config, tally.summary())


@pytest.fixture(scope="module")
def document(live: LiveServer) -> dict[str, Any]:
    """Return the live server's OpenAPI document."""
    return live.request("GET", "/openapi.json").body


def write_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Return every documented write: (method, path template, operation)."""
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"}
    ]


def json_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    """Return the JSON schema of an operation's request body, if it takes one."""
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def assert_no_problems(corpus: Corpus, start: int) -> None:
    """Fail naming the problems found since ``start``, the first ones in full."""
    assert len(corpus.tally.problems) == start, corpus.problems_since(start)


def target(
    corpus: Corpus, method: str, template: str, n: int
) -> tuple[str, dict[str, str], str | None]:
    """Return the concrete path of request ``n``, its headers, and the path to read back.

    PUT alternates between creating a record (even ``n``) and replacing a stored one; PATCH
    always changes a stored one. Both send ``If-Match: *``, so the precondition never decides.
    """
    kind = template.split("/")[2]
    if template.endswith("/learning-paths") or template == "/v1/api-keys":
        return template.replace("{employee_id}", "seed.emp"), {}, None
    if template in loop_corpus.LOOP:
        return loop_corpus.concrete(template), {}, None
    if template in loop_corpus.STORED:
        path = loop_corpus.STORED[template]
        return path, {"If-Match": "*"}, path
    if "{" not in template:
        return template, {}, None
    ident = f"h.{kind}.fixed" if method == "PATCH" or n % 2 else f"h.put.{kind}.{n}"
    path = re.sub(r"\{\w+\}", ident, template)
    return path, {"If-Match": "*"}, path


@pytest.fixture(scope="module")
def fixed_records(corpus: Corpus) -> None:
    """Store the records PUT and PATCH replace, and those DELETE removes."""
    for kind in RESOURCES:
        for ident in (f"h.{kind}.fixed", f"h.{kind}.doomed"):
            body = without_id(BUILDERS[kind](corpus.fresh()))
            answer = corpus.request("PUT", f"/v1/{kind}/{ident}", raw=dumps(body).encode())
            assert answer.status == 201, answer.body
    corpus.resync()


@pytest.fixture(scope="module")
def loop_records(corpus: Corpus, fixed_records) -> dict[str, str]:
    """Store a plan, feedback, an OAuth client and webhooks; return their paths by template."""
    return loop_corpus.stored_records(corpus)


def check_answer(
    corpus: Corpus,
    what: str,
    answer: Answer | None,
    *,
    text_sent: str | bytes,
    method: str,
    template: str,
    read_back: str | None,
    fields: tuple[str, ...] = (),
) -> None:
    """Hold one answer to the corpus's rules: refused cleanly, or accepted and stored as sent."""
    if answer is None:
        return
    if answer.status >= 300:
        corpus.refused(what, answer, fields)
        return
    readable, sent = hostile.parsed(text_sent)
    if not readable:
        corpus.problem(what, f"accepted a body no JSON reader takes: {answer.status}")
        corpus.resync()
        return
    if template.endswith("/learning-paths"):
        corpus.unchanged(what)  # a plan is computed, never stored
    elif template == "/v1/api-keys":
        keys = corpus.request("GET", "/v1/api-keys?page_size=500").body
        stored = next((key for key in keys if key["id"] == answer.body.get("id")), None)
        difference = differs(sent, stored) if stored else "not listed"
        if difference:
            corpus.problem(what, f"key reads back differently: {difference}")
        corpus.tally.round_trips += 1
        corpus.resync()
    elif loop_corpus.read_back(corpus, what, template, answer, sent):
        pass
    elif template.endswith("/import"):
        for row in sent:
            ident = quote(str(row.get("id")), safe="")
            kind = template.split("/")[2]
            corpus.stored(what, f"/v1/{kind}/{ident}", row)
    elif method == "POST":
        kind = template.split("/")[2]
        ident = quote(str(sent.get("id")), safe="")
        corpus.stored(what, f"/v1/{kind}/{ident}", sent)
    elif read_back is not None:
        corpus.stored(what, read_back, sent)
    else:
        corpus.problem(what, f"accepted ({answer.status}), and nothing says how to read it back")


# -- the tests -------------------------------------------------------------------------------------


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


def _valid_body(corpus: Corpus, method: str, template: str) -> tuple[int, bytes]:
    n = corpus.fresh()
    return n, dumps(BODIES[(method, template)][0](n)).encode()


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
        cases = whole_bodies(_valid_body(corpus, method, template)[1], rows=rows, optional=optional)
        for case in range(len(cases)):
            n, valid = _valid_body(corpus, method, template)  # fresh ids for each case
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
            n = corpus.fresh()
            url = re.sub(r"\{\w+\}", ident, template)
            what = f"{method} {template} path id={label}"
            raw = None
            if json_schema(operation):
                raw = dumps(BODIES[(method, template)][0](n)).encode()
            answer = corpus.send(what, method, url, raw=raw, headers={"If-Match": "*"})
            if answer is not None and answer.status < 300:
                corpus.problem(what, f"an id that is no id was taken: {answer.status}")
                corpus.resync()
            elif answer is not None:
                corpus.refused(what, answer)
    assert_no_problems(corpus, start)


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
        url = (
            loop_records.get(f"{method} {template}")
            or loop_records.get(template)
            or re.sub(r"\{\w+\}", ident, template)
        )
        for label, value in IF_MATCH:
            raw = None
            if json_schema(operation):
                raw = dumps(BODIES[(method, template)][0](corpus.fresh())).encode()
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
        url = (
            loop_records.get(f"{method} {template}")
            or loop_records.get(template)
            or re.sub(r"\{\w+\}", ident, template)
        )
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


# -- imports: many hostile rows in one request; a 422 must name each bad one ---------------------


def import_batch(corpus: Corpus, what: str, path: str, rows: list[Any], field_: str) -> None:
    """Send rows in one import: all stored, or a 422 naming exactly the bad rows and nothing stored.

    The rows a 422 does not name are then sent alone: they must be taken whole.
    """
    sent = dumps(rows)
    answer = corpus.send(what, "POST", path, raw=sent.encode())
    if answer is None:
        return
    if answer.status != 422:
        check_answer(
            corpus, what, answer, text_sent=sent, method="POST", template=path, read_back=None,
            fields=(field_,),
        )  # fmt: skip
        return
    corpus.check_problem(what, answer)
    errors = (answer.body or {}).get("errors") or []
    named = {e.get("row") for e in errors}
    for error in errors:
        if not isinstance(error.get("row"), int) or not 1 <= error["row"] <= len(rows):
            corpus.problem(what, f"an error names no row that was sent: {error}")
        elif not names(error.get("field", ""), field_):
            corpus.problem(what, f"row {error['row']}: names {error.get('field')!r}, not {field_}")
    corpus.unchanged(what)
    rest = [row for n, row in enumerate(rows, 1) if n not in named]
    if rest:
        again = dumps(rest)
        what += " (the rows the 422 did not name)"
        answer = corpus.send(what, "POST", path, raw=again.encode())
        if answer is not None and answer.status != 200:
            corpus.problem(what, f"{answer.status}: {str(answer.body)[:300]}")
        check_answer(
            corpus, what, answer, text_sent=again, method="POST", template=path, read_back=None,
        )  # fmt: skip


@pytest.mark.parametrize("kind", RESOURCES)
def test_json_imports_name_every_bad_row_and_store_none_of_them(
    corpus: Corpus, document, fixed_records, kind
):
    """Every field of an import row x its hostile values, one row each, in one import per field."""
    start = len(corpus.tally.problems)
    path = f"/v1/{kind}/import"
    operation = document["paths"][path]["post"]
    row_schema = json_schema(operation)["items"]
    for field_ in hostile.fields_of(row_schema, document):
        values = hostile.hostile_values(field_)
        batch = [(label, value) for label, value in values if hostile.plain(value)]
        rows = [hostile.replaced(BUILDERS[kind](corpus.fresh()), field_.path, v) for _, v in batch]
        import_batch(corpus, f"POST {path} rows with {field_}=hostile", path, rows, str(field_))
        for label, value in values:
            if (label, value) in batch:
                continue
            row = hostile.replaced(BUILDERS[kind](corpus.fresh()), field_.path, value)
            sent = dumps([row])
            what = f"POST {path} [0].{field_}={label}"
            answer = corpus.send(what, "POST", path, raw=sent.encode())
            check_answer(
                corpus, what, answer, text_sent=sent, method="POST", template=path,
                read_back=None, fields=(str(field_),),
            )  # fmt: skip
    unknown = [
        (obj + ("unknown_field",))
        for obj in hostile.objects_of(row_schema, document)
        if hostile.has(BUILDERS[kind](0), obj)
    ]
    rows = [hostile.replaced(BUILDERS[kind](corpus.fresh()), u, 0) for u in unknown]
    for row, u in zip(rows, unknown, strict=True):
        import_batch(corpus, f"POST {path} unknown field {show(u)}", path, [row], show(u))
    assert_no_problems(corpus, start)


# -- CSV imports ---------------------------------------------------------------------------------


def csv_columns(operation: dict[str, Any]) -> list[str]:
    """Return the CSV columns an import's documented request body names."""
    description = operation["requestBody"]["description"]
    listed = description.split("Columns:", 1)[1].rstrip(".")
    return [re.match(r"\s*([a-z_]+)", part).group(1) for part in re.split(r",(?![^(]*\))", listed)]


def csv_body(rows: list[dict[str, str]]) -> bytes:
    """Write rows as CSV under a header of their columns, as a spreadsheet would export them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def csv_expected(schema: dict[str, Any], document, row: dict[str, str]) -> dict[str, Any]:
    """Return what a GET must show for the plain-text and list columns of an accepted CSV row.

    Cells are trimmed and empty ones left out; a list cell separates entries with ``|``.
    Columns in other syntaxes (``skill:level``, ``key=value``, numbers) are not compared.
    """
    properties = hostile.resolve(schema, document)["properties"]
    expected: dict[str, Any] = {}
    for column, cell in row.items():
        declared = hostile.resolve(properties.get(column, {}), document)
        if not cell.strip():
            continue
        if declared.get("type") == "string" and "format" not in declared:
            expected[column] = cell.strip()
        elif declared.get("type") == "array" and declared["items"].get("type") == "string":
            expected[column] = [part.strip() for part in cell.split("|") if part.strip()]
    return expected


def csv_import(
    corpus: Corpus, what: str, path: str, rows: list[dict[str, str]], column: str, schema, document
) -> None:
    """Send CSV rows in one import: stored as sent, or a 422 naming each bad row and column."""
    kind = path.split("/")[2]
    answer = corpus.send(what, "POST", path, raw=csv_body(rows), content_type="text/csv")
    if answer is None:
        return
    named: set = set()
    if answer.status == 422:
        corpus.check_problem(what, answer)
        errors = (answer.body or {}).get("errors") or []
        named = {e.get("row") for e in errors}
        for error in errors:
            field_ = error.get("field", "")
            if not isinstance(error.get("row"), int) or not 1 <= error["row"] <= len(rows):
                corpus.problem(what, f"an error names no row that was sent: {error}")
            elif not (names(field_, column) or names(field_.split(".", 1)[-1], column)):
                corpus.problem(what, f"row {error['row']}: names {field_!r}, not {column}")
        corpus.unchanged(what)
        rest = [row for n, row in enumerate(rows, 1) if n not in named]
        if not rest:
            return
        rows = rest
        what += " (the rows the 422 did not name)"
        answer = corpus.send(what, "POST", path, raw=csv_body(rows), content_type="text/csv")
        if answer is None:
            return
    if answer.status != 200:
        corpus.problem(what, f"{answer.status}: {str(answer.body)[:300]}")
        corpus.refused(what, answer)
        return
    for row in rows:
        stored = f"/v1/{kind}/{quote(row['id'].strip(), safe='')}"
        corpus.stored(what, stored, csv_expected(schema, document, row))


@pytest.mark.parametrize("kind", RESOURCES)
def test_csv_imports_store_formula_cells_as_sent_and_name_every_bad_cell(
    corpus: Corpus, document, fixed_records, kind
):
    """Every documented CSV column x hostile cells (formulas, RTL, NUL, ...), one row each."""
    start = len(corpus.tally.problems)
    path = f"/v1/{kind}/import"
    operation = document["paths"][path]["post"]
    schema = json_schema(operation)["items"]
    columns = csv_columns(operation)
    assert columns == list(CSV_ROWS[kind](0)), "the documented columns and the valid row differ"
    for column in columns:
        rows = []
        for _, cell in CELLS:
            row = CSV_ROWS[kind](corpus.fresh())
            row[column] = cell
            rows.append(row)
        csv_import(
            corpus, f"POST {path} CSV {column}=hostile", path, rows, column, schema, document
        )
    assert_no_problems(corpus, start)


def csv_files(valid: bytes) -> list[tuple[str, bytes, int]]:
    """Return labelled CSV files, spoiled in one way each, and the status they must get."""
    header, _, rest = valid.partition(b"\r\n")
    first = header.split(b",")[0]
    long_cell = b"x" * 200_000
    many = b"id,name\r\n" + b"".join(b"r%d,R %d\r\n" % (n, n) for n in range(20_001))
    return [
        ("empty", b"", 422),
        ("header only", header + b"\r\n", 200),
        ("a column named twice", header + b"," + first + b"\r\n" + rest, 422),
        ("no id column", header.replace(b"id,", b"ident,", 1) + b"\r\n" + rest, 422),
        ("more cells than columns", valid + b"x,y" + b",z" * header.count(b",") + b"\r\n", 422),
        ("unterminated quote", valid + b'"never closed', 422),
        ("invalid UTF-8", valid.replace(b"\r\n", b"\xff\r\n", 2), 422),
        ("UTF-16", valid.decode().encode("utf-16"), 422),
        (
            "a formula for a column name",
            header + b',"=HYPERLINK(""x"")"\r\n' + rest.replace(b"\r\n", b",1\r\n", 1),
            422,
        ),
        ("NUL in the header", header.replace(b"id", b"i\x00d", 1) + b"\r\n" + rest, 422),
        ("a cell over the CSV field limit", header + b"\r\n" + long_cell + b"\r\n", 422),
        ("20,001 rows", many, 422),
    ]


@pytest.mark.parametrize("kind", RESOURCES)
def test_spoiled_csv_files_are_refused_whole(corpus: Corpus, document, fixed_records, kind):
    """Files a spreadsheet or a careless script writes: duplicate columns, bad encodings, ..."""
    start = len(corpus.tally.problems)
    path = f"/v1/{kind}/import"
    for label, raw, status in csv_files(csv_body([CSV_ROWS[kind](corpus.fresh())])):
        what = f"POST {path} CSV file: {label}"
        answer = corpus.send(what, "POST", path, raw=raw, content_type="text/csv")
        if answer is None:
            continue
        if answer.status != status:
            corpus.problem(
                what, f"answered {answer.status}, not {status}: {str(answer.body)[:200]}"
            )
        if answer.status >= 300:
            corpus.refused(what, answer)
        else:
            corpus.unchanged(what)  # a header alone imports nothing
    valid = csv_body([CSV_ROWS[kind](corpus.fresh())])
    for query, status in (
        ("dry_run=true", 200),
        ("dry_run=maybe", 422),
        ("on_unknown_skill=guess", 422),
    ):
        what = f"POST {path}?{query}"
        answer = corpus.send(what, "POST", f"{path}?{query}", raw=valid, content_type="text/csv")
        if answer is None:
            continue
        if answer.status != status:
            corpus.problem(what, f"answered {answer.status}, not {status}")
        if answer.status >= 300:
            corpus.refused(what, answer)
        else:
            corpus.unchanged(what)  # a dry run writes nothing
    assert_no_problems(corpus, start)


# -- the OAuth token endpoint: a form, and OAuth's own errors -------------------------------------

TOKEN_FIELDS = ("grant_type", "scope", "client_id", "client_secret")
# Form values already percent-encoded: bytes no UTF-8 text holds, and NUL.
ENCODED = [
    ("encoded lone surrogate", "%ED%A0%80"),
    ("invalid UTF-8", "%FF%FE"),
    ("encoded NUL", "a%00b"),
    ("encoded CRLF", "a%0D%0Ab"),
]
TOKEN_BODIES = [
    ("empty", b"", "application/x-www-form-urlencoded"),
    ("JSON", b'{"grant_type": "client_credentials"}', "application/json"),
    ("text/plain", b"grant_type=client_credentials", "text/plain"),
    ("no media type", b"grant_type=client_credentials", None),
    ("bare ampersands", b"&&&=&=", "application/x-www-form-urlencoded"),
    ("10,000 parameters", b"&".join(b"p%d=1" % n for n in range(10_000)),
     "application/x-www-form-urlencoded"),
]  # fmt: skip


def oauth_refused(corpus: Corpus, what: str, answer: Answer) -> None:
    """Check a refused token request: an OAuth error (or a problem) and no token stored."""
    if not 400 <= answer.status < 500:
        corpus.problem(what, f"answered {answer.status} where a refusal was due")
    body = answer.body
    if answer.headers.get("content-type", "").startswith("application/problem+json"):
        corpus.check_problem(what, answer)
    elif not (isinstance(body, dict) and isinstance(body.get("error"), str)):
        corpus.problem(what, f"{answer.status} is no OAuth error: {body!r:.200}")
    corpus.unchanged(what)


def test_hostile_token_requests_get_oauth_errors_and_no_token(corpus: Corpus, fixed_records):
    """Every form field of a token request x hostile values, repeated, missing, and bad bodies."""
    start = len(corpus.tally.problems)
    client = corpus.request(
        "POST", "/v1/oauth-clients", raw=b'{"name": "token corpus", "scopes": ["recommend"]}'
    ).body
    valid = {
        "grant_type": "client_credentials",
        "scope": "recommend",
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }
    form = "application/x-www-form-urlencoded"
    # The valid request gets a token, so each case below is refused for what it spoils.
    issued = corpus.request(
        "POST", "/oauth/token", raw=urlencode(valid).encode(), content_type=form
    )
    assert issued.status == 200 and issued.body["scope"] == "recommend", issued.body
    corpus.resync()
    cases: list[tuple[str, bytes, str | None]] = list(TOKEN_BODIES)
    for name in TOKEN_FIELDS:
        others = "&".join(f"{k}={quote(v, safe='')}" for k, v in valid.items() if k != name)
        for label, value in hostile.STRINGS + hostile.IDS:
            if isinstance(value, str):
                cases.append((f"{name}={label}", f"{others}&{name}={quote(value)}".encode(), form))
        for label, encoded in ENCODED:
            cases.append((f"{name}={label}", f"{others}&{name}={encoded}".encode(), form))
        cases.append((f"{name} missing", others.encode(), form))
        cases.append((f"{name} twice", f"{others}&{name}=x&{name}=y".encode(), form))
    for label, raw, content_type in cases:
        what = f"POST /oauth/token {label}"
        answer = corpus.send(what, "POST", "/oauth/token", raw=raw, content_type=content_type)
        if answer is None:
            continue
        if answer.status == 200:
            # Only the scope may be spoiled and still leave a valid request: fewer scopes.
            granted = set(answer.body.get("scope", "").split())
            if not label.startswith("scope") or not granted <= {"recommend"}:
                corpus.problem(what, f"a token was issued: {answer.body!r:.200}")
            corpus.resync()
        else:
            oauth_refused(corpus, what, answer)
    assert_no_problems(corpus, start)
