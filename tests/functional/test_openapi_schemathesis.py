"""Property-based tests of every operation in /openapi.json against the app, in process.

Schemathesis generates requests from the document and runs its default checks on each answer
(no 5xx, documented status codes, content types, headers and response schemas, schema-valid
requests accepted, schema-violating ones rejected, 401 without credentials, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.app import create_app
from tests.conftest import ADMIN_KEY
from tests.functional.support import item_body, role_body, skill_body

# Records the generated requests may refer to: the document says what a reference looks like,
# not which records exist, so schema-valid bodies have their references pointed at these.
TAUGHT = ("seeded.skill.a", "seeded.skill.b", "seeded.skill.c", "seeded.skill.d")
PREREQUISITES = ("seeded.skill.p", "seeded.skill.q", "seeded.skill.r", "seeded.skill.s")
ITEMS = ("seeded.item.a", "seeded.item.b")
ROLES = ("seeded.role.a", "seeded.role.b")
EMPLOYEE = "seeded.employee"

# A schema-valid write can still meet the state it finds: a PUT to an id an earlier example
# created needs If-Match (428), and a generated If-Match is almost never the current ETag (412).
PRECONDITION_STATUSES = ["2xx", "3xx", 401, 403, 404, 409, 412, 428, 429, "5xx"]

CONFIG = {
    "seed": 20261123,
    "auth": {"openapi": {"bearerAuth": {"bearer": ADMIN_KEY}}},
    "generation": {"max-examples": 8, "deterministic": True, "database": "none"},
    "operations": [
        {
            "include-method": ["PUT", "PATCH", "DELETE"],
            "checks": {
                "positive_data_acceptance": {"expected-statuses": PRECONDITION_STATUSES},
                # A malformed If-Match matches no ETag: 412 is the rejection HTTP prescribes.
                "negative_data_rejection": {
                    "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 413, 415]
                    + [422, 428, 429, "5xx"]
                },
            },
        }
    ],
}


def _load_schema():
    """Load the OpenAPI document from an app that never opens its database.

    Operations are collected before any fixture runs, so the document comes from an app of its
    own; every test then sends its cases to the ``app`` fixture, on a fresh database.
    """
    spec_app = create_app({"SKILLPATH_DATABASE_URL": "sqlite://", "SKILLPATH_AUTO_MIGRATE": False})
    return schemathesis.openapi.from_wsgi(
        "/openapi.json", spec_app, config=schemathesis.Config.from_dict(CONFIG)
    )


schema = _load_schema()


SEED = {
    "skills": [skill_body(ident) for ident in TAUGHT + PREREQUISITES],
    "items": [item_body(ident, {TAUGHT[0]: 2}) for ident in ITEMS],
    "roles": [role_body(ident, {TAUGHT[0]: 3}) for ident in ROLES],
    "employees": [
        {"id": EMPLOYEE, "skills": [{"skill": TAUGHT[0], "level": 1}], "target_roles": [ROLES[0]]}
    ],
}


@pytest.fixture
def seeded_app(app: Flask, client, admin) -> Flask:
    """Return ``app`` holding the records generated references are pointed at."""
    for kind, rows in SEED.items():
        response = client.post(f"/v1/{kind}/import", json=rows, headers=admin)
        assert response.status_code == 200, response.get_json()
    return app


def _levels(rows: Any, skills: tuple[str, ...]) -> Any:
    if not isinstance(rows, list):
        return rows
    return [{**row, "skill": skill} for row, skill in zip(rows, skills, strict=False)]


# Dates the service takes only within a window around today, which OpenAPI 3.0 cannot state:
# evidence is not from the future, schedules start within a year before to five years after,
# KPIs run up to today over at most a few years.
DATE_WINDOWS = {
    "completed_at": lambda today: today - dt.timedelta(days=30),
    "assessed_at": lambda today: today - dt.timedelta(days=30),
    "expires_at": lambda today: today + dt.timedelta(days=365),
    "start_date": lambda today: today,
    "from": lambda today: today - dt.timedelta(days=60),
    "to": lambda today: today,
}


def _taxonomy_names(value: Any) -> None:
    """Give external_ids keys the taxonomy-name form OpenAPI 3.0 cannot put on keys, in place."""
    if isinstance(value, dict):
        for name, child in value.items():
            if name == "external_ids" and isinstance(child, dict):
                value[name] = {f"taxonomy{n}": v for n, v in enumerate(child.values())}
            else:
                _taxonomy_names(child)
    elif isinstance(value, list):
        for child in value:
            _taxonomy_names(child)


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
    if path.endswith("/learning-paths"):
        if "role" in record:
            record["role"] = ROLES[0]
        profile, target = record.get("profile"), record.get("target")
        if isinstance(profile, dict):
            _point_references(profile, "/v1/employees")
        if isinstance(target, dict):
            if "role" in target:
                target["role"] = ROLES[0]
            _point_references(target, "/v1/roles")


def point_references(case) -> None:
    """Point a schema-valid case's references at seeded records; leave invalid cases alone."""
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    path = case.operation.path
    if isinstance(case.query, dict):
        if "skill" in case.query:
            case.query["skill"] = TAUGHT[0]
        if "role" in case.query and path.startswith("/v1/employees/{employee_id}/"):
            case.query["role"] = ROLES[0]
    if path.startswith("/v1/employees/{employee_id}/") and isinstance(case.path_parameters, dict):
        # The recommender's answers about an employee need one that exists.
        case.path_parameters["employee_id"] = EMPLOYEE
    _dates_in_window(case.body)
    _dates_in_window(case.query)
    _taxonomy_names(case.body)
    if path.endswith("/import") and isinstance(case.body, list):
        for row, record in enumerate(case.body, 1):
            _point_references(record, path, row=row)
    elif isinstance(case.body, list):
        for record in case.body:
            _point_references(record, path)
    else:
        _point_references(case.body, path)


@schema.parametrize()
# The app fixture is shared by the examples of one operation on purpose: the database fills up
# as they run, so later examples meet stored records instead of an empty catalog.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_conforms_to_its_openapi_document(case, seeded_app: Flask):
    point_references(case)
    excluded = []
    if case.media_type == "text/csv":
        # The document can only say a CSV import is text; which texts are valid CSV records of
        # the kind is beyond JSON Schema, so "schema-valid" says nothing about acceptance.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(app=seeded_app, excluded_checks=excluded)
