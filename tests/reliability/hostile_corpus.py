"""The hostile corpus's shared parts: valid bodies, where each request goes, what it must get.

Every write operation's hostile cases start from a valid body holding every documented field
(``BODIES``); ``target`` says where request ``n`` goes and where an acceptance reads back, and
``check_answer`` holds one answer to the corpus's rules. The live server the corpus's test
modules send to is given by the fixtures of ``hostile_fixtures.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from tests.reliability import hostile, loop_corpus
from tests.reliability.conftest import Answer
from tests.reliability.corpus import Corpus, differs
from tests.reliability.hostile import dumps

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


def valid_body(corpus: Corpus, method: str, template: str) -> tuple[int, bytes]:
    """Return a fresh number and the first valid body of an operation, made with it."""
    n = corpus.fresh()
    return n, dumps(BODIES[(method, template)][0](n)).encode()


# -- the operations, where each request goes, and what an answer must be -------------------------


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
