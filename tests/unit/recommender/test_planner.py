"""The path planner on hand-built catalogs: optimality, prerequisites, cycles and fallbacks."""

from __future__ import annotations

import pickle
import time

import numpy as np
import pytest
from scipy.optimize import OptimizeResult
from sklearn.exceptions import NotFittedError

from benchmarks.bench_recommender import make_items, make_profile, make_roles, make_skills
from recommender import CatalogIndex, Competency, Constraints, PathPlanner, Profile, Target
from recommender.context import request_context
from recommender.planner import exact, proof


def plan(items, target_levels, *, profile=None, constraints=None, **params):
    """Plan over a small catalog, for a target given as {skill: level} with weight 1."""
    index = CatalogIndex().fit([], items)
    target = Target(tuple(Competency(s, lv) for s, lv in target_levels.items()))
    return (
        PathPlanner(**params)
        .fit(index)
        .plan(
            profile or Profile(), target, constraints or Constraints(max_hours=None, max_items=None)
        )
    )


def test_toy_plan_is_optimal_and_ordered(planner, novice, cloud):
    """Within 80 h the best path closes k8s (after docker), terraform (after linux-101), python."""
    result = planner.plan(novice, cloud, Constraints(max_hours=80))
    assert (result.planner, result.optimal) == ("milp", True)
    assert result.items == ["docker", "linux-101", "python-de", "k8s", "terraform-up"]
    assert result.closed == pytest.approx(1.0 * 3 + 0.5 * 3 + 0.8 * 1 + 0.3 * 2)
    assert result.total_hours == 80 and result.total_cost == 400
    english = planner.plan(novice, cloud, Constraints(max_hours=80, languages=frozenset({"en"})))
    assert "python-de" not in english.items


def test_a_prerequisite_cycle_is_never_planned(make_item):
    """A needs what B teaches and B what A teaches: neither can start, so neither is planned."""
    a = make_item("a", 5, skills=(("x", 3),), prerequisites=(("y", 2),))
    b = make_item("b", 5, skills=(("y", 3),), prerequisites=(("x", 2),))
    result = plan([a, b], {"x": 3, "y": 3})
    assert (result.items, result.closed, result.optimal) == ([], 0.0, True)
    starter = make_item("c", 1, skills=(("x", 2),))
    result = plan([a, b, starter], {"x": 3, "y": 3})
    assert result.items == ["c", "b", "a"] and result.closed == 6


def test_an_item_cannot_supply_its_own_prerequisite(make_item):
    """An item needing x at 2 and teaching x at 4 needs another item to reach 2 first."""
    advanced = make_item("adv", 5, skills=(("x", 4),), prerequisites=(("x", 2),))
    assert plan([advanced], {"x": 4}).items == []
    basics = make_item("basics", 5, skills=(("x", 2),))
    assert plan([advanced, basics], {"x": 4}).items == ["basics", "adv"]
    assert plan([advanced], {"x": 4}, profile=Profile(levels={"x": 2})).items == ["adv"]


def test_required_items_come_along_or_block(make_item):
    """An item requiring another by id is planned after it, or not at all if it is unavailable."""
    intro = make_item("intro", 2, skills=(("z", 1),))
    main = make_item("main", 5, skills=(("x", 3),), requires_items=("intro",))
    assert plan([intro, main], {"x": 3}).items == ["intro", "main"]
    retired = make_item("intro", 2, active=False)
    assert plan([retired, main], {"x": 3}).items == []
    done = Profile(completed=frozenset({"intro"}))
    assert plan([retired, main], {"x": 3}, profile=done).items == ["main"]
    ghost = make_item("main", 5, skills=(("x", 3),), requires_items=("ghost",))
    assert plan([ghost], {"x": 3}).items == []


def test_levels_count_once_and_ties_prefer_fewer_hours(make_item):
    """Two items reaching the same level add nothing over one; the shorter one is chosen."""
    items = [
        make_item("long", 20, skills=(("x", 3),)),
        make_item("short", 5, skills=(("x", 3),)),
        make_item("part", 1, skills=(("x", 2),)),
    ]
    result = plan(items, {"x": 3})
    assert result.items == ["short"] and result.closed == 3


@pytest.mark.parametrize(
    ("constraints", "expected"),
    [
        (Constraints(max_hours=10, max_items=None), ["b"]),
        (Constraints(max_hours=None, max_items=1), ["c"]),
        (Constraints(max_hours=None, max_items=None, budget=150), ["a", "b"]),
    ],
)
def test_limits_are_respected(make_item, constraints, expected):
    """max_hours, max_items and budget each bound the plan."""
    items = [
        make_item("a", 6, cost=100, skills=(("x", 2),)),
        make_item("b", 6, cost=50, skills=(("y", 2),)),
        make_item("c", 30, cost=500, skills=(("x", 2), ("y", 3))),
    ]
    target = {"x": 2, "y": 3}
    assert plan(items, target, constraints=constraints).items == expected


def test_no_gap_or_no_item_means_planner_none(make_item):
    """Nothing to close, or nothing that helps, gives an empty optimal plan from "none"."""
    item = make_item("a", 5, skills=(("x", 3),))
    assert plan([item], {"x": 3}, profile=Profile(levels={"x": 3})).planner == "none"
    result = plan([item], {"y": 3})
    assert (result.items, result.planner, result.optimal) == ([], "none", True)


def test_greedy_fallback_when_highs_finds_nothing(monkeypatch, planner, novice, cloud):
    """If HiGHS returns no solution, the greedy heuristic answers and says it is not proven."""
    monkeypatch.setattr(exact, "milp", lambda *a, **k: OptimizeResult(x=None, status=1, fun=None))
    result = planner.plan(novice, cloud, Constraints(max_hours=80))
    assert (result.planner, result.optimal) == ("greedy", False)
    assert result.items and result.total_hours <= 80


def test_greedy_solver_and_invalid_solver(index, novice, cloud):
    """solver="greedy" skips the MILP; an unknown solver is rejected at fit."""
    result = PathPlanner(solver="greedy").fit(index).plan(novice, cloud, Constraints(max_hours=80))
    assert result.planner == "greedy" and not result.optimal
    with pytest.raises(ValueError, match="solver"):
        PathPlanner(solver="magic").fit(index)


def test_estimator_contract(index, planner, novice, cloud):
    """Unfitted use raises NotFittedError; fit returns self; pickling keeps the answers."""
    with pytest.raises(NotFittedError):
        PathPlanner().plan(novice, cloud)
    fresh = PathPlanner()
    assert fresh.fit(index) is fresh
    assert pickle.loads(pickle.dumps(planner)).plan(novice, cloud) == planner.plan(novice, cloud)


def test_pricing_that_selects_the_pool_again_is_not_solved_again(monkeypatch):
    """A proven pool and a pricing round over the same candidates: one solve less, same answer."""
    rng = np.random.default_rng(0)
    skills, items = make_skills(rng, 300), make_items(rng, 2_000, 300)
    roles = make_roles(rng, 5, 300)
    index = CatalogIndex().fit(skills, items)
    planner = PathPlanner().fit(index)
    # The 28th profile of this catalog is one whose pricing round selects the pool again.
    profiles = [make_profile(rng, roles[k % 5], items) for k in range(28)]
    profile, role = profiles[27], roles[27 % 5]
    limits = Constraints(max_hours=80, budget=2000, max_items=8)
    solves = []
    solve = exact.solve

    def counted(ctx, problem, **kwargs):
        solves.append(problem.rows.size)
        return solve(ctx, problem, **kwargs)

    monkeypatch.setattr(exact, "solve", counted)
    ctx = request_context(index, profile, role, limits)
    pool = planner.candidates(ctx)
    chosen, proven = exact.solve(
        ctx, pool, time_limit=10, mip_rel_gap=0, started=time.perf_counter()
    )
    assert proven

    def prove(**kwargs):
        return proof.prove(
            ctx,
            chosen,
            "milp",
            time.perf_counter(),
            time_limit=planner.time_limit,
            mip_rel_gap=planner.mip_rel_gap,
            select=planner._candidates,
            **kwargs,
        )

    solves.clear()
    skipped = prove(solved=pool.rows)
    assert len(solves) == 1  # only the whole catalog's model
    solves.clear()
    priced = prove()
    assert len(solves) == 2 and solves[0] == pool.rows.size  # pricing solved the pool again
    assert skipped[2] and priced[2]  # both proven optimal
    assert ctx.closed(skipped[0]) == pytest.approx(ctx.closed(priced[0]))


def test_a_plan_to_beat_prunes_what_cannot_beat_it():
    """Told the coverage of the pool's optimum, HiGHS proves that nothing beats it; told a
    little less, it finds a plan closing as much, and proves that too."""
    rng = np.random.default_rng(1)
    skills, items = make_skills(rng, 300), make_items(rng, 2_000, 300)
    roles = make_roles(rng, 5, 300)
    index = CatalogIndex().fit(skills, items)
    planner = PathPlanner().fit(index)
    limits = Constraints(max_hours=80, budget=2000, max_items=8)
    checked = 0
    for k in range(6):
        ctx = request_context(index, make_profile(rng, roles[k % 5], items), roles[k % 5], limits)
        pool = planner.candidates(ctx)
        if not pool.rows.size:
            continue
        best, proven = exact.solve(
            ctx, pool, time_limit=10, mip_rel_gap=0, started=time.perf_counter()
        )
        assert proven and best
        closed = ctx.closed(best)
        assert exact.solve(
            ctx, pool, time_limit=10, mip_rel_gap=0, started=time.perf_counter(), beat=closed
        ) == (None, True)
        found, proven = exact.solve(
            ctx, pool, time_limit=10, mip_rel_gap=0, started=time.perf_counter(), beat=closed - 1e-3
        )
        assert proven and ctx.closed(found) == pytest.approx(closed)
        checked += 1
    assert checked >= 4
