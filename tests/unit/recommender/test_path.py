"""Learning paths: steps, explanations, calendar and the reasons for unmet gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from recommender import (
    CatalogIndex,
    Competency,
    Constraints,
    LevelChange,
    PathPlanner,
    Profile,
    Target,
    plan_learning_path,
)

START = dt.date(2026, 12, 1)


def test_toy_path_explains_every_step(index, planner, novice, cloud):
    """Steps say what they close, what they build for later steps, and when they happen."""
    path = plan_learning_path(
        index, novice, cloud, Constraints(max_hours=80, start_date=START), planner=planner
    )
    steps = {s.item_id: s for s in path.steps}
    assert [s.position for s in path.steps] == [1, 2, 3, 4, 5]
    docker, linux, k8s, terraform = (
        steps[i] for i in ("docker", "linux-101", "k8s", "terraform-up")
    )
    assert docker.closes == [] and docker.builds == [LevelChange("docker", 0, 2)]
    assert docker.unlocks == [k8s.position]
    assert docker.why == f"Builds docker 0→2; needed before step {k8s.position}"
    assert linux.unlocks == [terraform.position]
    assert k8s.closes == [LevelChange("kubernetes", 0, 3)]
    assert k8s.why == "Closes kubernetes 0→3 (weight 1)"
    assert terraform.closes == [LevelChange("aws", 1, 2), LevelChange("terraform", 0, 3)]
    assert path.steps[0].start_date == START and path.steps[0].start_week == 1
    assert path.steps[-1].end_week == 16  # 80 h at 5 h/week
    assert path.steps[-1].end_date == START + dt.timedelta(weeks=16)
    assert (path.planner, path.optimal, path.role_id, path.title) == (
        "milp",
        True,
        "cloud-architect",
        "Cloud Architect",
    )


def test_path_figures_agree(index, planner, novice, cloud):
    """Coverage and readiness follow from the weighted gap closed, levels counted once."""
    path = plan_learning_path(
        index, novice, cloud, Constraints(max_hours=80), planner=planner, as_of=START
    )
    weighted_gap, total = 6.7, 7.5
    closed = 1.0 * 3 + 0.5 * 3 + 0.8 * 1 + 0.3 * 2
    assert path.weighted_gap == pytest.approx(weighted_gap)
    assert path.closed == pytest.approx(closed)
    assert path.coverage == pytest.approx(closed / weighted_gap)
    assert path.readiness_before == pytest.approx(1 - weighted_gap / total)
    assert path.readiness_after == pytest.approx(1 - (weighted_gap - closed) / total)
    assert (path.total_hours, path.total_cost) == (80, 400)
    assert [(u.skill, u.current, u.reached, u.required, u.code) for u in path.unmet] == [
        ("aws", 1, 2, 3, "max_hours")
    ]
    assert path.unmet[0].reason == "needs more hours than max_hours leaves after the planned steps"
    assert path.steps[0].start_date == START


def test_nothing_to_do_gives_full_coverage(index, planner, cloud):
    """With every requirement met the path is empty, coverage 1 and readiness 1."""
    expert = Profile(levels={"aws": 3, "terraform": 3, "kubernetes": 3, "python": 2})
    path = plan_learning_path(index, expert, cloud, planner=planner, as_of=START)
    assert (path.steps, path.unmet, path.coverage, path.readiness_after) == ([], [], 1.0, 1.0)
    assert path.planner == "none"


def one_skill_path(items, *, profile=None, **constraints):
    """Plan for a target of skill x at level 3 over a small catalog."""
    index = CatalogIndex().fit(["x"], items)
    constraints.setdefault("max_hours", None)
    constraints.setdefault("max_items", None)
    return plan_learning_path(
        index,
        profile or Profile(),
        Target((Competency("x", 3),)),
        Constraints(start_date=START, **constraints),
        planner=PathPlanner().fit(index),
    )


@pytest.mark.parametrize(
    ("items", "profile", "constraints", "code", "reason"),
    [
        ([], None, {}, "no_active_item", "no active item teaches it"),
        ([("a", {"active": False})], None, {}, "no_active_item", "no active item teaches it"),
        (
            [("a", {})],
            Profile(completed=frozenset({"a"})),
            {},
            "completed",
            "items teaching it are already completed",
        ),
        (
            [("a", {"language": "de"})],
            None,
            {"languages": frozenset({"en"})},
            "filtered",
            "filtered out by the language filter",
        ),
        (
            [("a", {"language": "de", "kind": "program"})],
            None,
            {"languages": frozenset({"en"}), "kinds": frozenset({"course"})},
            "filtered",
            "filtered out by the language and kind filters",
        ),
        (
            [("a", {"requires_items": ("ghost",)})],
            None,
            {},
            "requires",
            "items teaching it require items outside the catalog",
        ),
        (
            [("a", {})],
            None,
            {"max_hours": 5},
            "max_hours",
            "needs more hours than max_hours allows",
        ),
        ([("a", {"cost": 500})], None, {"budget": 100}, "budget", "over budget"),
        (
            [("a", {"prerequisites": (("y", 2),)})],
            None,
            {},
            "prerequisites",
            "the prerequisites of the items teaching it cannot be met",
        ),
    ],
)
def test_unmet_gaps_say_why(make_item, items, profile, constraints, code, reason):
    """Each unmet requirement carries the first reason that explains it."""
    catalog = [make_item(i, 10, skills=(("x", 3),), **fields) for i, fields in items]
    path = one_skill_path(catalog, profile=profile, **constraints)
    assert [(u.skill, u.code, u.reason) for u in path.unmet] == [("x", code, reason)]


def test_partial_progress_and_max_items(make_item):
    """A gap narrowed but not closed is unmet from the level reached; max_items is a reason."""
    items = [
        make_item("a", 2, skills=(("x", 1),)),
        make_item("b", 2, skills=(("x", 3),), prerequisites=(("x", 1),)),
    ]
    path = one_skill_path(items, max_items=1)
    assert [s.item_id for s in path.steps] == ["a"]
    assert [(u.current, u.reached, u.code, u.reason) for u in path.unmet] == [
        (0, 1, "max_items", "max_items reached")
    ]
    path = one_skill_path(items[:1])
    assert path.unmet[0].reason == "no active item teaches it beyond level 1"


def test_path_reports_the_coverage_bound_the_planner_proved(index, novice, cloud):
    """An optimal path's bound is its coverage; a limited greedy one may be below its bound."""
    path = plan_learning_path(index, novice, cloud, Constraints(max_hours=200))
    assert path.optimal
    assert path.bound == path.coverage
    greedy = PathPlanner(solver="greedy").fit(index)
    path = plan_learning_path(index, novice, cloud, Constraints(max_hours=200), planner=greedy)
    assert path.bound >= path.coverage
