"""The planning functions behind the recommendation endpoints, on a real app and database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event

from catalog.errors import NoTargetRoleError, NotFoundError, RecordError
from recommender.types import (
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_MAX_HOURS,
    DEFAULT_MAX_ITEMS,
    Constraints,
)
from service import planning, planning_inputs
from service.db import db
from service.engine import Models, models_for

AS_OF = dt.date(2025, 1, 15)
EXPIRED = "2023-06-01"  # the 12-month certification lapsed before AS_OF
VALID = "2024-06-01"
PREFERENCES = {
    "budget": 500.0,
    "hours_per_week": 3.0,
    "modalities": ["self_paced", "blended"],
    "languages": ["en"],
}


def _course(skills: dict[str, int], **fields) -> dict:
    taught = [{"skill": s, "level": level} for s, level in skills.items()]
    return {
        "kind": "course",
        "title": "A course",
        "modality": "self_paced",
        "skills": taught,
        **fields,
    }


def _role(competencies: dict[str, int]) -> dict:
    return {
        "title": "A role",
        "competencies": [{"skill": s, "level": v} for s, v in competencies.items()],
    }


@pytest.fixture
def catalog(client, admin) -> None:
    """Store skills, items, two roles and an employee aiming at both roles, in order."""
    records = {
        "skills/python": {"name": "Python", "aliases": ["py"]},
        "skills/sql": {"name": "SQL"},
        "skills/aws": {"name": "Amazon Web Services"},
        "skills/kubernetes": {"name": "Kubernetes"},
        "items/py-basics": _course({"python": 2}, duration_hours=10, cost=0),
        "items/py-advanced": _course(
            {"python": 4},
            prerequisites=[{"skill": "python", "level": 2}],
            duration_hours=20,
            cost=100,
            currency="EUR",
        ),
        "items/sql-course": _course({"sql": 3}, duration_hours=15, cost=50),
        "items/aws-cert": _course(
            {"aws": 3}, kind="certification", valid_months=12, duration_hours=30, cost=150
        ),
        "roles/backend": _role({"python": 4, "sql": 3}),
        "roles/cloud": _role({"aws": 3}),
        "employees/e1": {
            "target_roles": ["backend", "cloud"],
            "skills": [{"skill": "python", "level": 1}, {"skill": "sql", "level": 3}],
            "completed": [
                {"item": "py-basics", "completed_at": VALID},
                {"item": "aws-cert", "completed_at": EXPIRED},
            ],
            "preferences": PREFERENCES,
        },
        "employees/e2": {"skills": [{"skill": "sql", "level": 1}]},
    }
    for path, body in records.items():
        response = client.put(f"/v1/{path}", json=body, headers={**admin, "If-Match": "*"})
        assert response.status_code == 201, response.get_json()


@pytest.fixture
def request_context(app: Flask, catalog) -> Iterator[None]:
    """Run the test inside a request, as the views call planning."""
    with app.test_request_context():
        yield


@pytest.fixture
def models(request_context) -> Models:
    """Return the models fitted on the stored catalog."""
    return models_for(db.session)


def _defaults(**changes) -> Constraints:
    base = Constraints(
        max_hours=DEFAULT_MAX_HOURS,
        budget=None,
        max_items=DEFAULT_MAX_ITEMS,
        hours_per_week=DEFAULT_HOURS_PER_WEEK,
        start_date=AS_OF,
    )
    return dataclasses.replace(base, **changes)


# -- constraints: request, then preferences, then defaults --------------------------------------


@pytest.mark.parametrize(
    ("args", "preferences", "expected"),
    [
        ({}, {}, _defaults()),
        (
            {},
            PREFERENCES,
            _defaults(
                budget=500.0,
                hours_per_week=3.0,
                modalities=frozenset({"self_paced", "blended"}),
                languages=frozenset({"en"}),
            ),
        ),
        (
            {"budget": 90.0, "hours_per_week": 10.0, "modalities": ["mentoring"], "max_hours": 12},
            PREFERENCES,
            _defaults(
                max_hours=12,
                budget=90.0,
                hours_per_week=10.0,
                modalities=frozenset({"mentoring"}),
                languages=frozenset({"en"}),
            ),
        ),
        # A null the request gives wins over the preference; a null preference does not count.
        (
            {"budget": None},
            PREFERENCES,
            _defaults(
                budget=None,
                hours_per_week=3.0,
                modalities=frozenset({"self_paced", "blended"}),
                languages=frozenset({"en"}),
            ),
        ),
        ({}, {"budget": None, "hours_per_week": None, "modalities": []}, _defaults()),
        (
            {
                "max_items": 2,
                "kinds": ["course"],
                "goal": "cloud",
                "start_date": dt.date(2031, 1, 6),
            },
            {"kinds": ["mentoring"]},  # kinds are no preference
            _defaults(
                max_items=2,
                kinds=frozenset({"course"}),
                goal="cloud",
                start_date=dt.date(2031, 1, 6),
            ),
        ),
    ],
)
def test_constraints_take_the_request_then_preferences_then_defaults(args, preferences, expected):
    assert planning.constraints_for(args, preferences, as_of=AS_OF) == expected


@pytest.mark.parametrize(
    ("asked", "expected_modalities"),
    [({}, frozenset({"self_paced", "blended"})), ({"modalities": ["mentoring"]}, {"mentoring"})],
)
def test_ranking_filters_have_no_limits(asked, expected_modalities):
    filters = planning.filters_for(PREFERENCES, kinds=["course"], **asked)
    assert (filters.max_hours, filters.budget, filters.max_items) == (None, None, None)
    assert filters.modalities == expected_modalities
    assert filters.languages == {"en"}
    assert filters.kinds == {"course"}


# -- targets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_id", "target_roles", "expected"),
    [
        (None, ("cloud", "backend"), "cloud"),
        ("backend", ("cloud",), "backend"),
        ("cloud", (), "cloud"),
    ],
)
def test_target_defaults_to_the_first_target_role(models, role_id, target_roles, expected):
    target = planning_inputs.target_for(models, role_id, target_roles=target_roles)
    assert target.role_id == expected
    assert target is models.role_targets[expected]


def test_target_needs_a_role(models):
    with pytest.raises(NoTargetRoleError):
        planning_inputs.target_for(models, None, target_roles=())


@pytest.mark.parametrize("target_roles", [(), ("backend",)])
def test_an_unknown_role_is_not_found(models, target_roles):
    with pytest.raises(NotFoundError) as raised:
        planning_inputs.target_for(models, "nope", target_roles=target_roles)
    assert (raised.value.kind, raised.value.ident) == ("role", "nope")


# -- stored employees ---------------------------------------------------------------------------


def test_stored_employee_is_aimed_at_the_first_target_role(request_context):
    employee = planning.stored_employee(
        session=db.session, employee_id="e1", role_id=None, as_of=AS_OF
    )
    assert employee.employee_id == "e1"
    assert employee.target.role_id == "backend"
    assert employee.preferences == PREFERENCES
    # py-basics raises python to 2; the lapsed certification neither counts nor teaches.
    assert dict(employee.profile.levels) == {"python": 2, "sql": 3}
    assert employee.profile.completed == {"py-basics"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        employee.target = None


@pytest.mark.parametrize(
    ("employee_id", "role_id", "error"),
    [
        ("nobody", "backend", NotFoundError),
        ("e2", None, NoTargetRoleError),
        ("e1", "nope", NotFoundError),
    ],
)
def test_stored_employee_errors(request_context, employee_id, role_id, error):
    with pytest.raises(error):
        planning.stored_employee(
            session=db.session, employee_id=employee_id, role_id=role_id, as_of=AS_OF
        )


def test_an_unknown_employee_is_not_found_before_the_role(request_context):
    with pytest.raises(NotFoundError) as raised:
        planning.employee_gaps(session=db.session, employee_id="nobody", role_id="nope")
    assert (raised.value.kind, raised.value.ident) == ("employee", "nobody")


# -- inline profiles ----------------------------------------------------------------------------


def _inline(skills=(), completed=(), resolve=False) -> dict:
    return {"skills": list(skills), "completed": list(completed), "resolve": resolve}


def test_inline_profile_resolution_names_every_unknown_skill(request_context):
    profile = _inline([{"skill": "Pythn", "level": 1}, {"skill": "py", "level": 2}])
    target = {"competencies": [{"skill": "Kubernets", "level": 2, "weight": 1.0}]}
    with pytest.raises(RecordError) as raised:
        planning.stateless_path(
            session=db.session, profile=profile, target=target, constraints={}, as_of=AS_OF
        )
    errors = [(e.field, e.unknown_skill) for e in raised.value.errors]
    assert errors == [
        ("profile.skills[0].skill", "Pythn"),
        ("target.competencies[0].skill", "Kubernets"),
    ]


def test_fuzzy_resolution_maps_a_typo(models):
    refs = [("profile.skills[0].skill", "Kubernets"), ("profile.skills[1].skill", "SQL")]
    with pytest.raises(RecordError):
        planning.skill_ids(session=db.session, models=models, refs=refs, fuzzy=False)
    ids = planning.skill_ids(session=db.session, models=models, refs=refs, fuzzy=True)
    assert ids == {"Kubernets": "kubernetes", "SQL": "sql"}


def test_inline_profile_counts_a_skill_at_its_highest_and_valid_completions(models):
    profile = _inline(
        [{"skill": "py", "level": 1}, {"skill": "Python", "level": 3}],
        [{"item": "aws-cert", "completed_at": dt.date(2029, 6, 1)}, {"item": "sql-course"}],
    )
    ids = {"py": "python", "Python": "python"}
    built = planning.inline_profile(models, profile, ids, as_of=AS_OF)
    assert dict(built.levels) == {"python": 3, "aws": 3, "sql": 3}
    assert built.completed == {"aws-cert", "sql-course"}


def test_inline_target_is_a_role_or_competencies(models):
    assert planning.inline_target(models, {"role": "cloud"}, {}) is models.role_targets["cloud"]
    target = planning.inline_target(
        models,
        {"title": "Data", "competencies": [{"skill": "SQL", "level": 3, "weight": 0.5}]},
        {"SQL": "sql"},
    )
    assert (target.role_id, target.title) == (None, "Data")
    assert [(c.skill, c.level, c.weight) for c in target.competencies] == [("sql", 3, 0.5)]
    with pytest.raises(NotFoundError):
        planning.inline_target(models, {"role": "nope"}, {})


# -- paths --------------------------------------------------------------------------------------


def test_path_answer_describes_items_from_the_models(models):
    profile = planning.inline_profile(models, _inline(), {}, as_of=AS_OF)
    constraints = planning.constraints_for({"max_hours": 100}, {}, as_of=AS_OF)
    answer = planning.path_answer(
        models, profile, models.role_targets["backend"], constraints, as_of=AS_OF
    )
    ids = [s.item.id for s in answer.steps]
    assert sorted(ids) == ["py-advanced", "py-basics", "sql-course"]
    assert ids.index("py-basics") < ids.index("py-advanced")
    assert all(s.item == models.items[s.step.item_id] for s in answer.steps)
    assert answer.currency == "EUR, USD"
    assert answer.path.constraints is constraints
    assert answer.model.catalog_version == models.version
    assert answer.steps[0].step.start_date == AS_OF


def test_a_path_for_a_stored_employee_reads_only_the_employee(request_context):
    planning.employee_path(
        session=db.session, employee_id="e1", role_id=None, constraints={}, as_of=AS_OF
    )  # fits the models
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = planning.employee_path(
            session=db.session, employee_id="e1", role_id="backend", constraints={}, as_of=AS_OF
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert answer.steps
    assert answer.path.constraints.budget == PREFERENCES["budget"]
    read = {table for s in statements for table in re.findall(r"\bfrom (\w+)", s)}
    employee = {"employees", "employee_skills", "completions", "employee_target_roles", "feedback"}
    assert read <= employee | {"catalog_state"}, statements
