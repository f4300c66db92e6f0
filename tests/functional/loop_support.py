"""Records and requests the learning-loop tests share: a small organisation, xAPI statements."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask.testing import FlaskClient

from tests.functional.support import Seeder

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"


def today() -> dt.date:
    """Return today's date in UTC, the service's calendar."""
    return dt.datetime.now(dt.UTC).date()


def days_ago(n: int) -> str:
    """Return the ISO date ``n`` days before today."""
    return (today() - dt.timedelta(days=n)).isoformat()


def organisation(seed: Seeder) -> None:
    """Store skills, items teaching them and a role demanding them, plus employee e-1."""
    seed.skills("python", "sql", "aws")
    seed.item("py-101", {"python": 2}, url="https://learn.example.com/py-101")
    seed.item("py-201", {"python": 3}, duration_hours=20)
    seed.item("sql-101", {"sql": 3}, external_ids={"xapi": "urn:lms:sql-101"})
    seed.item(
        "aws-cert", {"aws": 3}, kind="certification", valid_months=12, duration_hours=30, cost=150
    )
    seed.role("dev", {"python": 3, "sql": 3, "aws": 3})
    seed.employee("e-1", email="Ada@Example.com", target_roles=["dev"])


def statement(
    *,
    actor: dict[str, Any] | None = None,
    verb: str = COMPLETED,
    activity: str = "https://learn.example.com/py-101",
    timestamp: str | None = None,
    ident: str | None = "new",
    **extra: Any,
) -> dict[str, Any]:
    """Return an xAPI statement (a fresh id unless ``ident`` says otherwise or is None)."""
    body = {
        "actor": actor
        or {"objectType": "Agent", "account": {"homePage": "https://hr", "name": "e-1"}},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": activity},
        "timestamp": timestamp or f"{days_ago(1)}T10:00:00Z",
        **extra,
    }
    if ident == "new":
        body["id"] = str(uuid.uuid4())
    elif ident is not None:
        body["id"] = ident
    return body


def completions_of(client: FlaskClient, headers: dict[str, str], employee: str) -> list[dict]:
    """Return an employee's stored completions."""
    response = client.get(f"/v1/employees/{employee}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["completed"]


def history_of(client: FlaskClient, headers: dict[str, str], employee: str, **query) -> list:
    """Return an employee's skill history."""
    response = client.get(f"/v1/employees/{employee}/history", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()
