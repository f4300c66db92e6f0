"""The recommendation endpoints answer what marshmallow would write from their schemas.

Their answer schemas dump through compiled functions (service/dumping.py); on the demo
organisation every kind of answer they give is compared with marshmallow's own dump.
"""

from __future__ import annotations

import json

import marshmallow as ma
from flask import Flask
from sqlalchemy import text

from service import planning
from service.db import db
from service.recommendation_schemas import (
    GapReportSchema,
    LearningPathSchema,
    RecommendationListSchema,
    RoleMatchListSchema,
    SkillMatchSchema,
)
from tests.conftest import ADMIN_KEY, auth


def _same(schema: ma.Schema, answer) -> dict:
    """Dump ``answer`` both ways, check they agree, and return the dump."""
    written = schema.dump(answer)
    assert written == ma.Schema.dump(schema, answer)
    assert json.dumps(written) == json.dumps(ma.Schema.dump(schema, answer))
    return written


def test_every_answer_matches_marshmallows_dump(demo: Flask):
    with demo.test_request_context():
        employees = [row[0] for row in db.session.execute(text("SELECT id FROM employees"))]
        assert len(employees) > 10
        shown = {"items": 0, "steps": 0, "missing": 0}
        for n, employee in enumerate(employees):
            ranked = planning.employee_recommendations(
                session=db.session, employee_id=employee, role_id=None, limit=20
            )
            items = _same(RecommendationListSchema(), ranked)["items"]
            shown["items"] += len(items)
            shown["missing"] += sum(len(item["missing"]) for item in items)
            _same(GapReportSchema(), planning.employee_gaps(**_whom(employee)))
            _same(RoleMatchListSchema(), planning.employee_role_matches(**_whom(employee, 5)))
            if n % 10 == 0:  # a path is slower to plan; a few show every part of one
                path = planning.employee_path(**_whom(employee), constraints={"max_items": 6})
                shown["steps"] += len(_same(LearningPathSchema(), path)["steps"])
        matches = planning.skill_matches(session=db.session, text="pyton", limit=5)
        _same(SkillMatchSchema(many=True), matches)
    assert all(shown.values()), shown  # every nested part was compared somewhere


def _whom(employee: str, limit: int | None = None) -> dict:
    extra = {"role_id": None} if limit is None else {"limit": limit}
    return {"session": db.session, "employee_id": employee, **extra}


def test_the_http_answer_is_the_schema_dump(demo: Flask):
    client = demo.test_client()
    with demo.test_request_context():
        employee = db.session.execute(text("SELECT min(id) FROM employees")).scalar()
        expected = ma.Schema.dump(
            RecommendationListSchema(),
            planning.employee_recommendations(
                session=db.session, employee_id=employee, role_id=None, limit=10
            ),
        )
    answer = client.get(f"/v1/employees/{employee}/recommendations", headers=auth(ADMIN_KEY))
    assert answer.status_code == 200
    assert answer.get_json() == expected
