"""Invariants of the learning loop over generated evidence and plans.

- Evidence is idempotent: any sequence of completions and statements, sent again in any
  order, leaves the state it left.
- A plan's progress never exceeds the plan.
"""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from catalog.completions import NewCompletion, append_completions
from catalog.models import Completion, SkillEvent, XapiStatement
from catalog.plans import coverage_of, progress
from catalog.xapi import parse_statement, store_statements

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ITEMS = ("py", "sql", "cert")
TODAY = dt.datetime.now(dt.UTC).date()
DAYS = [TODAY - dt.timedelta(days=n) for n in (1, 30, 400)]


@pytest.fixture
def loop_store(store):
    store.skill("python")
    store.skill("sql")
    store.item("py", {"python": 3}, url="https://learn.example.com/py")
    store.item("sql", {"sql": 2})
    store.item("cert", {"python": 4}, kind="certification", valid_months=12)
    store.employee("e1", email="e1@example.com", skills=[{"skill": "sql", "level": 1,
                                                           "source": "self",
                                                           "assessed_at": None}])  # fmt: skip
    return store


completion = st.builds(
    lambda item, day, score: ("completion", item, day, score),
    st.sampled_from(ITEMS),
    st.sampled_from(DAYS),
    st.one_of(st.none(), st.floats(0, 1)),
)
statement = st.builds(
    lambda n, item, day, by_mail: ("statement", n, item, day, by_mail),
    st.integers(0, 5),
    st.sampled_from(ITEMS + ("unknown",)),
    st.sampled_from(DAYS),
    st.booleans(),
)


def _apply(session, op) -> None:
    if op[0] == "completion":
        _, item, day, score = op
        append_completions(session=session, wanted={"e1": [NewCompletion(item, day, score=score)]})
    else:
        _, n, item, day, by_mail = op
        actor = {"mbox": "mailto:e1@example.com"} if by_mail else {"account": {
            "homePage": "https://hr", "name": "e1"}}  # fmt: skip
        activity = "https://learn.example.com/py" if item == "py" else f"urn:x:{item}"
        raw = {"actor": actor, "verb": {"id": COMPLETED}, "object": {"id": activity}}
        ident = str(uuid.UUID(int=n + 1))
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        store_statements(
            session=session,
            statements=[parse_statement(ident=ident, raw=raw, timestamp=moment, score=None)],
        )
    session.commit()


def _state(session):
    completions = sorted(
        session.execute(
            select(Completion.item_id, Completion.completed_at, Completion.score,
                   Completion.source, Completion.statement_id)
        ).all(),
        key=repr,
    )  # fmt: skip
    statements = sorted(session.execute(select(XapiStatement.id, XapiStatement.unmatched)).all())
    events = sorted(
        session.execute(
            select(SkillEvent.skill_id, SkillEvent.from_level, SkillEvent.to_level,
                   SkillEvent.cause, SkillEvent.source)
        ).all()
    )  # fmt: skip
    return completions, statements, events


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(st.one_of(completion, statement), min_size=1, max_size=6), data=st.data())
def test_evidence_sent_again_changes_nothing(session, loop_store, ops, data):
    for table in (XapiStatement, SkillEvent, Completion):
        session.execute(delete(table))
    session.commit()
    for op in ops:
        _apply(session, op)
    once = _state(session)
    again = data.draw(st.permutations(ops))
    for op in again + ops[:1]:
        _apply(session, op)
    assert _state(session) == once


step = st.fixed_dictionaries(
    {
        "item": st.fixed_dictionaries({"id": st.sampled_from(ITEMS), "cost": st.just(0.0)}),
        "hours": st.floats(0.5, 40),
        "closes": st.lists(
            st.builds(
                lambda skill, low, up: {"skill": skill, "from": low, "to": low + up},
                st.sampled_from(("a", "b", "c")),
                st.integers(0, 3),
                st.integers(1, 2),
            ),
            max_size=2,
        ),
        "start_date": st.sampled_from([d.isoformat() for d in DAYS + [TODAY]]),
        "end_date": st.just((TODAY + dt.timedelta(days=20)).isoformat()),
        "kept_completed_at": st.one_of(st.none(), st.just(DAYS[1].isoformat())),
    }
)
gaps = st.lists(
    st.builds(
        lambda skill, current, up, weight: {
            "skill": skill, "current": current, "required": current + up, "weight": weight
        },
        st.sampled_from(("a", "b", "c")),
        st.integers(0, 3),
        st.integers(0, 2),
        st.floats(0.1, 1),
    ),
    unique_by=lambda g: g["skill"],
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(step, max_size=6),
    gaps=gaps,
    done=st.dictionaries(st.sampled_from(ITEMS), st.lists(st.sampled_from(DAYS + [TODAY]))),
    status=st.sampled_from(["active", "completed", "abandoned", "superseded"]),
)
def test_progress_never_exceeds_the_plan(steps, gaps, done, status):
    path = {"gaps": gaps, "coverage": 0.0}
    path["coverage"] = 1.0 if not gaps else coverage_of({**path, "coverage": 1.0}, steps)
    plan = SimpleNamespace(
        steps=steps,
        path=path,
        created_on=DAYS[1],
        status=status,
        ended_at=None if status in ("active", "completed") else dt.datetime.now(dt.UTC),
    )
    state = progress(plan, {k: sorted(v) for k, v in done.items()}, TODAY)
    assert 0 <= state.steps_done <= state.steps_total == len(steps)
    assert 0 <= state.hours_done <= round(sum(s["hours"] for s in steps), 2) + 1e-9
    assert 0 <= state.coverage_done <= path["coverage"]
    assert state.schedule in ("on_track", "behind", "ahead")
    for mine, kept in zip(state.steps, steps, strict=True):
        if kept["kept_completed_at"]:
            assert mine.status == "completed"
