"""Request bodies and response assertions the functional tests share."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text
from werkzeug.test import TestResponse

from service.db import db

PROBLEM_FIELDS = {"type", "title", "status", "detail"}
DOMAIN_TABLES = (
    "skills",
    "skill_aliases",
    "items",
    "item_skills",
    "item_prerequisites",
    "item_requirements",
    "roles",
    "role_competencies",
    "role_titles",
    "employees",
    "employee_skills",
    "completions",
    "employee_target_roles",
)


def skill_body(ident: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
    """Return a skill record."""
    return {"id": ident, "name": name or ident.replace("-", " ").title(), **fields}


def item_body(ident: str, skills: dict[str, int] | None = None, **fields: Any) -> dict[str, Any]:
    """Return a catalog item record teaching ``skills`` (skill -> level)."""
    body = {
        "id": ident,
        "kind": "course",
        "title": f"Course {ident}",
        "modality": "self_paced",
        "duration_hours": 10,
        "skills": [{"skill": s, "level": lv} for s, lv in (skills or {"python": 3}).items()],
    }
    body.update(fields)
    return body


def role_body(
    ident: str, competencies: dict[str, int] | list | None = None, **fields: Any
) -> dict[str, Any]:
    """Return a role record demanding ``competencies`` (skill -> level, weight 1, or as given)."""
    competencies = competencies or {"python": 4}
    if isinstance(competencies, dict):
        competencies = [{"skill": s, "level": lv} for s, lv in competencies.items()]
    body = {
        "id": ident,
        "title": ident.replace("-", " ").title(),
        "competencies": competencies,
    }
    body.update(fields)
    return body


def employee_body(**fields: Any) -> dict[str, Any]:
    """Return an employee profile (the id travels in the path)."""
    return {"display_name": "Ada", "team": "platform", **fields}


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """Assert ``response`` is a problem+json of ``status`` and return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert PROBLEM_FIELDS <= body.keys(), body
    assert body["status"] == status
    return body


def error_fields(response: TestResponse) -> set[str]:
    """Return the field paths a 422 problem names."""
    body = assert_problem(response, 422)
    return {error["field"] for error in body["errors"]}


def pagination(response: TestResponse) -> dict[str, Any]:
    """Return the decoded X-Pagination header."""
    return json.loads(response.headers["X-Pagination"])


class Seeder:
    """Creates records through the API with admin rights, asserting each write succeeds."""

    def __init__(self, client: FlaskClient, headers: dict[str, str]):
        self.client = client
        self.headers = headers

    def _put(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body = dict(body)
        ident = body.pop("id")
        response = self.client.put(
            f"{path}/{ident}", json=body, headers={**self.headers, "If-Match": "*"}
        )
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    def skill(self, ident: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
        """Create or replace a skill."""
        return self._put("/v1/skills", skill_body(ident, name, **fields))

    def skills(self, *idents: str) -> None:
        """Create plain skills."""
        for ident in idents:
            self.skill(ident)

    def item(self, ident: str, skills: dict[str, int] | None = None, **fields: Any) -> dict:
        """Create or replace a catalog item."""
        return self._put("/v1/items", item_body(ident, skills, **fields))

    def role(self, ident: str, competencies: dict[str, int] | None = None, **fields: Any) -> dict:
        """Create or replace a role."""
        return self._put("/v1/roles", role_body(ident, competencies, **fields))

    def employee(self, ident: str, **fields: Any) -> dict[str, Any]:
        """Create or replace an employee."""
        return self._put("/v1/employees", {"id": ident, **employee_body(**fields)})


def count_rows(app: Flask, table: str) -> int:
    """Return how many rows ``table`` holds, read straight from the database."""
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def count_all(app: Flask) -> dict[str, int]:
    """Return the row count of every domain table."""
    return {table: count_rows(app, table) for table in DOMAIN_TABLES}


#: Statements that only open or close a transaction, left out of what tests count.
TRANSACTION_CONTROL = ("begin", "commit", "rollback", "savepoint", "release")


@contextmanager
def recorded_statements(app: Flask) -> Iterator[list[str]]:
    """Yield a list that collects, lowercased, every statement ``app`` sends while it is open.

    Recorded at the driver, so statements sent through SQLAlchemy and those sent straight to a
    pooled driver connection (``catalog.db.read_alone``) are counted alike; transaction control
    (BEGIN, COMMIT, ROLLBACK, savepoints) is left out.
    """
    statements: list[str] = []

    def record(statement: str) -> None:
        statement = statement.strip().lower()
        if not statement.startswith(TRANSACTION_CONTROL) and not statement.startswith("--"):
            statements.append(statement)

    class RecordingCursor(psycopg.Cursor):
        def execute(self, query, params=None, **kwargs):
            record(query if isinstance(query, str) else query.as_string(self))
            return super().execute(query, params, **kwargs)

        def executemany(self, query, params_seq, **kwargs):
            record(query if isinstance(query, str) else query.as_string(self))
            return super().executemany(query, params_seq, **kwargs)

    factories: dict[Any, type] = {}  # each traced PostgreSQL connection's own cursor factory

    def trace(dbapi_connection, _record, _proxy) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(record)
        else:
            factories.setdefault(dbapi_connection, dbapi_connection.cursor_factory)
            dbapi_connection.cursor_factory = RecordingCursor

    def untrace(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(None)
        elif dbapi_connection in factories:
            dbapi_connection.cursor_factory = factories.pop(dbapi_connection)

    with app.app_context():
        pool = db.engine.pool
    event.listen(pool, "checkout", trace)
    event.listen(pool, "checkin", untrace)
    try:
        yield statements
    finally:
        event.remove(pool, "checkout", trace)
        event.remove(pool, "checkin", untrace)
        for connection, factory in factories.items():  # still checked out: stop recording
            connection.cursor_factory = factory
