"""The per-request context: built once per path, equal to what each stage computed alone."""

from __future__ import annotations

import numpy as np
import pytest

from recommender import (
    CatalogIndex,
    Competency,
    Constraints,
    PathPlanner,
    Profile,
    Ranker,
    Target,
    plan_learning_path,
)
from recommender import path as path_module
from recommender.context import RequestContext
from recommender.gain import Availability, OpenGaps
from recommender.gap import GapVector

CONSTRAINTS = [
    None,
    Constraints(),
    Constraints(max_hours=25, budget=120, max_items=2),
    Constraints(languages=frozenset({"en"}), modalities=frozenset({"self_paced"})),
    Constraints(kinds=frozenset({"certification", "unknown-kind"})),
]
PROFILES = [
    Profile(levels={"aws": 1}),
    Profile(levels={"aws": 1, "linux": 2, "ghost-skill": 3}, completed=frozenset({"docker"})),
    Profile(completed=frozenset({"k8s", "linux-101", "not-in-catalog"})),
]


def usable(item, profile: Profile, c: Constraints) -> bool:
    """Tell from the item record whether a request may use it (DESIGN's rules, written out)."""
    return (
        item.active
        and item.id not in profile.completed
        and (c.modalities is None or item.modality in c.modalities)
        and (c.languages is None or item.language in c.languages)
        and (c.kinds is None or item.kind in c.kinds)
        and (c.max_hours is None or item.duration_hours <= c.max_hours)
        and (c.budget is None or item.cost <= c.budget)
    )


@pytest.mark.parametrize("constraints", CONSTRAINTS)
@pytest.mark.parametrize("profile", PROFILES)
def test_context_holds_what_each_stage_built_alone(index, items, cloud, profile, constraints):
    """Gap vector, open gaps, levels, completed rows, gainers and limits match separate builds."""
    ctx = RequestContext.build(index, profile, cloud, constraints)
    c = constraints or Constraints(max_hours=None, max_items=None)
    assert ctx.constraints == c and ctx.profile is profile and ctx.target is cloud
    vector = GapVector.build(profile, cloud)
    assert ctx.vector.skills == vector.skills
    for name in ("current", "required", "weight"):
        np.testing.assert_array_equal(getattr(ctx.vector, name), getattr(vector, name))
    gaps = OpenGaps.build(index, vector)
    for name in ("positions", "cols", "current", "required", "weight", "entry_rows"):
        np.testing.assert_array_equal(getattr(ctx.gaps, name), getattr(gaps, name))
    np.testing.assert_array_equal(ctx.levels, index.level_vector(profile.levels))
    np.testing.assert_array_equal(ctx.completed_rows, index.rows_of(profile.completed))
    assert np.flatnonzero(ctx.completed).tolist() == ctx.completed_rows.tolist()
    # The available gainers, against the item records.
    rows, gain = gaps.gains()
    records = {i.id: i for i in items}
    expected = [
        (r, g)
        for r, g in zip(rows.tolist(), gain.tolist(), strict=True)
        if usable(records[index.item_ids_[r]], profile, c)
    ]
    assert ctx.gainers.tolist() == [r for r, _ in expected]
    assert ctx.gain.tolist() == pytest.approx([g for _, g in expected])
    assert np.flatnonzero(ctx.is_gainer).tolist() == ctx.gainers.tolist()
    assert ctx.weighted_gap == pytest.approx(vector.weighted_gap)
    limits = (c.max_hours, c.budget, c.max_items)
    assert (ctx.max_hours, ctx.budget, ctx.max_items) == tuple(
        np.inf if v is None else v for v in limits
    )


@pytest.mark.parametrize("constraints", CONSTRAINTS[1:])
@pytest.mark.parametrize("profile", PROFILES)
def test_availability_rules_match_the_item_records(index, items, cloud, profile, constraints):
    """Each row's rules, read from masks, agree with the records; ``requires`` only if needed."""
    ctx = RequestContext.build(index, profile, cloud, constraints)
    rows = np.arange(index.n_items)
    records = sorted(items, key=lambda i: i.id)
    assert ctx.availability.mask(rows).tolist() == [
        usable(i, profile, constraints) for i in records
    ]
    checks = ctx.availability.checks(rows)
    assert checks["not_completed"].tolist() == [i.id not in profile.completed for i in records]
    assert "requires" not in checks  # every required item of the toy catalog is in it
    assert ctx.availability.checks(rows[:0])["active"].shape == (0,)


def test_items_requiring_unknown_items_wait_for_their_completion(make_item):
    """An item requiring an id outside the catalog is usable once that id is completed."""
    index = CatalogIndex().fit([], [make_item("a", skills=(("x", 2),), requires_items=("ext",))])
    target = Target((Competency("x", 2),))
    for completed, expected in ((frozenset(), False), (frozenset({"ext"}), True)):
        ctx = RequestContext.build(index, Profile(completed=completed), target, None)
        checks = ctx.availability.checks(np.array([0]))
        assert checks.get("requires", np.array([True])).tolist() == [expected]
        assert ctx.availability.mask(np.array([0])).tolist() == [expected]
        assert ctx.gainers.tolist() == ([0] if expected else [])


def test_a_path_builds_its_context_once(monkeypatch, index, planner, novice, cloud):
    """The planner, the step explanations and the unmet reasons share one context."""
    builds = {"context": 0, "vector": 0, "gaps": 0, "availability": 0}

    def counted(name, original):
        def wrapper(*args, **kwargs):
            builds[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        RequestContext,
        "build",
        classmethod(counted("context", RequestContext.__dict__["build"].__func__)),
    )
    monkeypatch.setattr(
        GapVector, "build", classmethod(counted("vector", GapVector.__dict__["build"].__func__))
    )
    monkeypatch.setattr(
        OpenGaps, "build", classmethod(counted("gaps", OpenGaps.__dict__["build"].__func__))
    )
    monkeypatch.setattr(Availability, "__init__", counted("availability", Availability.__init__))
    seen = []

    def spy(name, original, *, method=False):
        """Record the context a function (or a method, after ``self``) is handed."""

        def wrapper(*args, **kwargs):
            seen.append((name, args[1 if method else 0]))
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(path_module, "_explain_steps", spy("steps", path_module._explain_steps))
    monkeypatch.setattr(path_module, "_explain_unmet", spy("unmet", path_module._explain_unmet))
    monkeypatch.setattr(PathPlanner, "plan", spy("plan", PathPlanner.plan, method=True))
    path = plan_learning_path(index, novice, cloud, Constraints(max_hours=80), planner=planner)
    assert path.unmet  # so the unmet reasons ran
    assert builds == {"context": 1, "vector": 1, "gaps": 1, "availability": 1}
    assert [name for name, _ in seen] == ["plan", "steps", "unmet"]
    assert len({id(ctx) for _, ctx in seen}) == 1
    assert isinstance(seen[0][1], RequestContext)


@pytest.mark.parametrize("constraints", CONSTRAINTS[1:])
def test_models_answer_the_same_from_a_context(index, planner, novice, cloud, constraints):
    """Handing a context to the planner or the ranker gives what the inputs give."""
    ranker = Ranker().fit(index)
    ctx = RequestContext.build(index, novice, cloud, constraints)
    assert planner.plan(ctx) == planner.plan(novice, cloud, constraints)
    assert ranker.rank(ctx, limit=5) == ranker.rank(novice, cloud, limit=5, constraints=constraints)


def test_models_reject_mixed_or_foreign_contexts(planner, skills, items, novice, cloud):
    """A context comes alone and from the model's own index; a profile needs a target."""
    ctx = RequestContext.build(planner.index_, novice, cloud, Constraints())
    with pytest.raises(TypeError, match="either"):
        planner.plan(ctx, cloud)
    with pytest.raises(TypeError, match="either"):
        Ranker().fit(planner.index_).rank(ctx, constraints=Constraints())
    with pytest.raises(TypeError, match="target"):
        planner.plan(novice)
    other = CatalogIndex().fit(skills, items)
    with pytest.raises(ValueError, match="another index"):
        PathPlanner().fit(other).plan(ctx)
    with pytest.raises(ValueError, match="another index"):
        Ranker().fit(other).rank(ctx)
