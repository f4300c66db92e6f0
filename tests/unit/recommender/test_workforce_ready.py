"""Hours to ready solved together: the planner's own answer for each profile, and the fewest
hours that close the whole gap where a brute force over every set of items can tell."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender import (
    CatalogIndex,
    CatalogItem,
    Competency,
    PathPlanner,
    Profile,
    SkillRecord,
    Target,
)
from recommender.context import request_context
from recommender.workforce.ready import UNLIMITED, hours_to_ready, hours_to_ready_many

NAMES = ("s0", "s1", "s2", "s3")
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def organisations(draw, prerequisites: bool = True):
    """Draw ``(items, profiles, target)``: a few items, several employees, one role."""
    ids = [f"i{k}" for k in range(draw(st.integers(2, 7)))]
    items = []
    for item_id in ids:
        taught = draw(st.dictionaries(st.sampled_from(NAMES), st.integers(1, 5), min_size=1))
        needs = {}
        requires: list[str] = []
        if prerequisites and draw(st.integers(0, 2)) == 0:
            needs = draw(st.dictionaries(st.sampled_from(NAMES), st.integers(1, 4), max_size=2))
            requires = draw(st.lists(st.sampled_from(ids), max_size=1))
        items.append(
            CatalogItem(
                id=item_id,
                title=item_id,
                kind="course",
                modality="self_paced",
                duration_hours=draw(st.sampled_from([1.0, 2.5, 5.0, 10.0, 40.0])),
                skills=tuple(sorted(taught.items())),
                prerequisites=tuple(sorted(needs.items())),
                requires_items=tuple(r for r in requires if r != item_id),
                active=draw(st.integers(0, 9)) < 9,
            )
        )
    profiles = draw(
        st.lists(
            st.builds(
                Profile,
                levels=st.dictionaries(st.sampled_from(NAMES), st.integers(0, 5), max_size=3),
                completed=st.frozensets(st.sampled_from(ids), max_size=1),
            ),
            min_size=1,
            max_size=6,
        )
    )
    wanted = draw(st.dictionaries(st.sampled_from(NAMES), st.integers(1, 5), min_size=1))
    target = Target(tuple(Competency(s, lv, 0.5 + 0.1 * lv) for s, lv in wanted.items()), "r")
    return items, profiles, target


def _planner(items, **params) -> PathPlanner:
    skills = [SkillRecord(name, name.upper(), (), "") for name in NAMES]
    return PathPlanner(**params).fit(CatalogIndex().fit(skills, items))


#: The planner's own pool, and one so narrow that the plans outside it decide more answers,
#: as they do on large catalogs.
POOLS = [{}, {"n_candidates": 1, "n_per_level": 0, "n_suppliers": 0}]


@pytest.mark.parametrize("pool", POOLS, ids=["pool", "narrow pool"])
@SETTINGS
@given(organisation=organisations())
def test_together_each_profile_gets_what_the_planner_gives_it_alone(pool, organisation):
    items, profiles, target = organisation
    planner = _planner(items, **pool)
    alone = [hours_to_ready(planner, profile, target) for profile in profiles]
    together = hours_to_ready_many(planner, profiles, target)
    assert together == pytest.approx(alone)
    assert [h is None for h in together] == [h is None for h in alone]


@SETTINGS
@given(organisations(prerequisites=False))
def test_without_prerequisites_the_hours_are_the_fewest_that_close_the_gap(organisation):
    items, profiles, target = organisation
    planner = _planner(items)
    for profile, hours in zip(
        profiles, hours_to_ready_many(planner, profiles, target), strict=True
    ):
        assert hours == pytest.approx(_fewest_hours(items, profile, target))


def _fewest_hours(items, profile: Profile, target: Target) -> float | None:
    """Try every set of active, not completed items: the fewest hours closing every level."""
    need = {
        c.skill: c.level for c in target.competencies if c.level > profile.levels.get(c.skill, 0)
    }
    if not need:
        return 0.0
    usable = [i for i in items if i.active and i.id not in profile.completed]
    best = None
    for size in range(1, len(usable) + 1):
        for chosen in itertools.combinations(usable, size):
            reached = {s: max((lv for i in chosen for t, lv in i.skills if t == s), default=0)
                       for s in need}  # fmt: skip
            if all(reached[s] >= lv for s, lv in need.items()):
                hours = sum(i.duration_hours for i in chosen)
                best = hours if best is None else min(best, hours)
    return best


def test_the_toy_catalog_with_its_prerequisites_and_an_item_it_requires(planner, cloud):
    profiles = [
        Profile(levels={"aws": 1}),
        Profile(levels={"aws": 3, "terraform": 3, "kubernetes": 3, "python": 2}),
        Profile(levels={"linux": 2, "docker": 2}),
        Profile(),
    ]
    together = hours_to_ready_many(planner, profiles, cloud)
    assert together == [hours_to_ready(planner, p, cloud) for p in profiles]
    # The only Python course is in German: available, so the gap closes.
    assert together[1] == 0.0 and together[0] is not None


def test_a_plan_of_fewer_hours_outside_the_pool_is_the_one_counted():
    # The narrow pool holds the item that closes most (40 hours) and the one closing most an
    # hour; the two short items (1 and 1.5 hours) together close the whole gap too. The
    # planner alone finds them over the whole catalog, and so must the plans solved together.
    def item(item_id: str, hours: float, **levels: int) -> CatalogItem:
        return CatalogItem(
            id=item_id,
            title=item_id,
            kind="course",
            modality="self_paced",
            duration_hours=hours,
            skills=tuple(sorted(levels.items())),
        )

    items = [item("both", 40.0, s0=5, s1=5), item("first", 1.0, s0=5), item("second", 1.5, s1=5)]
    planner = _planner(items, **POOLS[1])
    target = Target((Competency("s0", 5, 1.0), Competency("s1", 5, 1.0)), "r")
    profiles = [Profile(), Profile(levels={"s0": 2})]
    assert planner.candidates(
        request_context(planner.index_, profiles[0], target, UNLIMITED)
    ).rows.size < len(items)
    assert hours_to_ready_many(planner, profiles, target) == [2.5, 2.5]
    assert [hours_to_ready(planner, p, target) for p in profiles] == [2.5, 2.5]
