"""What schemathesis runs of the OpenAPI document share, in process and against a live server.

The document says what a request looks like, not which records exist, nor the rules JSON
Schema (OpenAPI 3.0) cannot state: dates within windows around today, taxonomy names as
``external_ids`` keys. :func:`point_references` makes schema-valid cases meet them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from tests.functional.support import item_body, role_body, skill_body

# Records the generated requests may refer to: the document says what a reference looks like,
# not which records exist, so schema-valid bodies have their references pointed at these.
TAUGHT = ("seeded.skill.a", "seeded.skill.b", "seeded.skill.c", "seeded.skill.d")
PREREQUISITES = ("seeded.skill.p", "seeded.skill.q", "seeded.skill.r", "seeded.skill.s")
ITEMS = ("seeded.item.a", "seeded.item.b")
ROLES = ("seeded.role.a", "seeded.role.b")
EMPLOYEE = "seeded.employee"
PUBLIC_WEBHOOK_URL = "https://93.184.215.14/hooks/skillpath"

# A schema-valid write can still meet the state it finds: a PUT to an id an earlier example
# created needs If-Match (428), and a generated If-Match is almost never the current ETag (412).
PRECONDITION_STATUSES = ["2xx", "3xx", 401, 403, 404, 409, 412, 428, 429, "5xx"]

GENERATION = {"max-examples": 8, "deterministic": True, "database": "none"}
# Refusals of schema-violating requests: schemathesis's list, and 413 (a body over the limit)
# and 414 (a request line over the server's limit: long enough generated query strings).
REJECTED = [400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422, 428, 429, "5xx"]
CHECKS = {"negative_data_rejection": {"expected-statuses": REJECTED}}
OPERATIONS = [
    {
        "include-method": ["PUT", "PATCH", "DELETE"],
        "checks": {
            "positive_data_acceptance": {"expected-statuses": PRECONDITION_STATUSES},
            # A malformed If-Match matches no ETag: 412 is the rejection HTTP prescribes.
            "negative_data_rejection": {"expected-statuses": [*REJECTED, 412]},
        },
    }
]


def config(admin_key: str, **generation: Any) -> dict[str, Any]:
    """Return the schemathesis configuration of a run authenticated with ``admin_key``."""
    return {
        "seed": 20261123,
        "auth": {"openapi": {"bearerAuth": {"bearer": admin_key}}},
        "generation": {**GENERATION, **generation},
        "checks": CHECKS,
        "operations": OPERATIONS,
    }


SEED = {
    "skills": [skill_body(ident) for ident in TAUGHT + PREREQUISITES],
    "items": [item_body(ident, {TAUGHT[0]: 2}) for ident in ITEMS],
    "roles": [role_body(ident, {TAUGHT[0]: 3}) for ident in ROLES],
    "employees": [
        {"id": EMPLOYEE, "skills": [{"skill": TAUGHT[0], "level": 1}], "target_roles": [ROLES[0]]}
    ],
}


def _levels(rows: Any, skills: tuple[str, ...]) -> Any:
    if not isinstance(rows, list):
        return rows
    return [{**row, "skill": skill} for row, skill in zip(rows, skills, strict=False)]


# Dates the service takes only within a window around today, which OpenAPI 3.0 cannot state:
# evidence is not from the future, schedules start within a year before to five years after.
DATE_WINDOWS = {
    "completed_at": lambda today: today - dt.timedelta(days=30),
    "assessed_at": lambda today: today - dt.timedelta(days=30),
    "expires_at": lambda today: today + dt.timedelta(days=365),
    "start_date": lambda today: today,
    # KPIs run up to today over at most a few years.
    "from": lambda today: today - dt.timedelta(days=60),
    "to": lambda today: today,
    # xAPI: when a statement happened and was stored, never ahead of today.
    "timestamp": lambda today: today - dt.timedelta(days=1),
    "stored": lambda today: today,
}


# Keys of the maps whose keys follow a rule OpenAPI 3.0 cannot state (it has no
# propertyNames): taxonomy names, xAPI extension IRIs and language tags.
KEY_FORMS = {
    "external_ids": lambda n: f"taxonomy{n}",
    "extensions": lambda n: f"https://example.com/extensions/{n}",
    "display": lambda n: f"en-x{n}",
    "name": lambda n: f"en-x{n}",
    "description": lambda n: f"en-x{n}",
}


def _key_forms(value: Any) -> None:
    """Give the keys of such maps a form their rule takes, in place."""
    if isinstance(value, dict):
        for name, child in value.items():
            if name in KEY_FORMS and isinstance(child, dict):
                value[name] = {KEY_FORMS[name](n): v for n, v in enumerate(child.values())}
            else:
                _key_forms(child)
    elif isinstance(value, list):
        for child in value:
            _key_forms(child)


def _dates_in_window(value: Any) -> None:
    """Move every windowed date of a schema-valid body to a day inside its window, in place."""
    today = dt.datetime.now(dt.UTC).date()
    if isinstance(value, dict):
        for name, child in value.items():
            if name in DATE_WINDOWS and isinstance(child, str):
                value[name] = DATE_WINDOWS[name](today).isoformat()
            else:
                _dates_in_window(child)
    elif isinstance(value, list):
        for child in value:
            _dates_in_window(child)


def _scores_in_order(value: Any) -> None:
    """Put every xAPI score's raw between its min and max, min below max, in place."""
    if isinstance(value, dict):
        score = value.get("score")
        if isinstance(score, dict):
            low, high = score.get("min"), score.get("max")
            if isinstance(low, int | float) and isinstance(high, int | float) and low >= high:
                score["min"], score["max"] = high - 1, low + 1
            low, high, raw = score.get("min"), score.get("max"), score.get("raw")
            if isinstance(raw, int | float):
                low = raw if low is None else low
                score["raw"] = min(max(raw, low), raw if high is None else high)
        for child in value.values():
            _scores_in_order(child)
    elif isinstance(value, list):
        for child in value:
            _scores_in_order(child)


def _point_references(record: Any, path: str, *, row: int | None = None) -> None:
    """Point the references of one schema-valid record at seeded records, in place.

    Also keeps the rules a schema cannot state: no skill twice in one list, prerequisites apart
    from taught skills, no item requiring itself, unique ids and names within one import.
    """
    if not isinstance(record, dict):
        return
    if row is not None and isinstance(record.get("id"), str):
        record["id"] = f"{record['id'][:100]}.row{row}"
        if path.startswith("/v1/skills/"):
            record["name"] = f"skill {record['id']}"
    if path.startswith("/v1/items"):
        for name, skills in (("skills", TAUGHT), ("prerequisites", PREREQUISITES)):
            if name in record:
                record[name] = _levels(record[name], skills)
        if isinstance(record.get("requires_items"), list):
            record["requires_items"] = list(ITEMS[: len(record["requires_items"])])
    elif path.startswith("/v1/roles"):
        if "competencies" in record:
            record["competencies"] = _levels(record["competencies"], TAUGHT)
    elif path.endswith(("/completions", "/feedback")):
        record["item"] = ITEMS[0]
    elif path.startswith("/v1/webhooks"):
        if isinstance(record.get("url"), str):
            # A public address given as such: the schema cannot say what a host resolves to.
            record["url"] = PUBLIC_WEBHOOK_URL
    elif path.startswith("/v1/employees"):
        if isinstance(record.get("email"), str):
            # One person per email: a distinct, deliverable-looking address per record.
            tag = hashlib.sha256(str(record.get("id")).encode()).hexdigest()[:12]
            record["email"] = f"p{tag}@example.com"
        if "skills" in record:
            record["skills"] = _levels(record["skills"], TAUGHT)
        if isinstance(record.get("completed"), list):
            record["completed"] = [
                {**done, "item": item}
                for done, item in zip(record["completed"], ITEMS, strict=False)
            ]
        if record.get("current_role") is not None:
            record["current_role"] = ROLES[0]
        if isinstance(record.get("target_roles"), list):
            record["target_roles"] = list(ROLES[: len(record["target_roles"])])
    if path.endswith(("/learning-paths", "/plans")):
        if "role" in record:
            record["role"] = ROLES[0]
        profile, target = record.get("profile"), record.get("target")
        if isinstance(profile, dict):
            _point_references(profile, "/v1/employees")
        if isinstance(target, dict):
            if "role" in target:
                target["role"] = ROLES[0]
            _point_references(target, "/v1/roles")


def point_references(case, *, seeded_employee: bool = True) -> None:
    """Point a schema-valid case's references at seeded records; leave invalid cases alone.

    :param seeded_employee: ask about the seeded employee; a stateful run keeps the employee
        a link named instead.
    """
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    path = case.operation.path
    if isinstance(case.query, dict):
        if "skill" in case.query:
            case.query["skill"] = TAUGHT[0]
        if "role" in case.query and path.startswith("/v1/employees/{employee_id}/"):
            case.query["role"] = ROLES[0]
    at_employee = path.startswith("/v1/employees/{employee_id}/")
    if seeded_employee and at_employee and isinstance(case.path_parameters, dict):
        # The recommender's answers about an employee need one that exists.
        case.path_parameters["employee_id"] = EMPLOYEE
    _dates_in_window(case.body)
    _dates_in_window(case.query)
    _key_forms(case.body)
    _scores_in_order(case.body)
    if path.endswith("/import") and isinstance(case.body, list):
        for row, record in enumerate(case.body, 1):
            _point_references(record, path, row=row)
    elif isinstance(case.body, list):
        for record in case.body:
            _point_references(record, path)
    else:
        _point_references(case.body, path)
