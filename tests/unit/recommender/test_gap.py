"""Gap analysis and role matching, against the DESIGN.md formulas."""

from __future__ import annotations

import pickle

import pytest
from sklearn.exceptions import NotFittedError

from recommender import (
    Competency,
    Constraints,
    Profile,
    RoleIndex,
    Target,
    analyze_gap,
    plan_learning_path,
    role_matches,
)


def test_gap_report_follows_the_formulas(cloud):
    """g = max(0, req - cur), G = sum w g, readiness = 1 - G / sum w req."""
    report = analyze_gap(Profile(levels={"aws": 1, "python": 3}), cloud)
    # G = 0.8*2 + 0.5*3 + 1.0*3 + 0 ; sum w req = 0.8*3 + 0.5*3 + 1*3 + 0.3*2
    assert report.weighted_gap == pytest.approx(6.1)
    assert report.total_weight == pytest.approx(7.5)
    assert report.readiness == pytest.approx(1 - 6.1 / 7.5)
    assert [(g.skill, g.current, g.required, g.gap) for g in report.gaps] == [
        ("kubernetes", 0, 3, 3),
        ("aws", 1, 3, 2),
        ("terraform", 0, 3, 3),
    ]
    assert [(m.skill, m.current) for m in report.met] == [("python", 3)]


@pytest.mark.parametrize(
    ("levels", "readiness"),
    [({}, 0.0), ({"a": 5, "b": 5}, 1.0), ({"a": 2}, 1 - (0.5 * 2 + 1.0 * 2) / (0.5 * 4 + 1.0 * 2))],
)
def test_readiness_bounds(levels, readiness):
    """Readiness is 0 with nothing, 1 when every requirement is met, and in between."""
    target = Target((Competency("a", 4, 0.5), Competency("b", 2, 1.0)))
    assert analyze_gap(Profile(levels=levels), target).readiness == pytest.approx(readiness)


def test_empty_target_is_fully_ready():
    """A target asking for nothing has readiness 1.0 and no gaps."""
    report = analyze_gap(Profile(levels={"a": 1}), Target(()))
    assert (report.readiness, report.weighted_gap, report.gaps, report.met) == (1.0, 0.0, [], [])


def test_ties_sort_by_skill_and_duplicates_merge():
    """Equal weighted gaps sort by skill id; a skill listed twice keeps its highest level."""
    target = Target((Competency("b", 2), Competency("a", 2), Competency("a", 1, 0.5)))
    report = analyze_gap(Profile(), target)
    assert [(g.skill, g.required, g.weight) for g in report.gaps] == [("a", 2, 1.0), ("b", 2, 1.0)]


@pytest.mark.parametrize(
    "competency", [Competency("a", 6), Competency("a", 2, 0.0), Competency("a", 2, 1.5)]
)
def test_invalid_competencies_are_rejected(competency):
    """Levels outside 0-5 and weights outside (0, 1] raise ValueError."""
    with pytest.raises(ValueError):
        analyze_gap(Profile(), Target((competency,)))


ROLES = [
    Target((Competency("a", 3), Competency("b", 2, 0.5)), role_id="r2", title="Two"),
    Target((Competency("a", 1),), role_id="r1", title="One"),
    Target((Competency("c", 4),), role_id="r3"),
    Target((Competency("a", 1),), role_id="r0"),
    Target((), role_id="empty"),
]


def test_role_matches_rank_by_readiness_then_id():
    """Roles come by readiness (highest first) with ties by role id, as analyze_gap computes."""
    profile = Profile(levels={"a": 2, "b": 1})
    matches = role_matches(profile, ROLES, limit=10)
    assert [m.role_id for m in matches] == ["empty", "r0", "r1", "r2", "r3"]
    for match in matches:
        target = next(t for t in ROLES if t.role_id == match.role_id)
        report = analyze_gap(profile, target)
        assert match.readiness == pytest.approx(report.readiness)
        assert match.weighted_gap == pytest.approx(report.weighted_gap)
        assert match.n_gaps == len(report.gaps)
    assert [m.role_id for m in role_matches(profile, ROLES, limit=2)] == ["empty", "r0"]


def test_role_index_contract():
    """Unfitted use raises NotFittedError; fit returns self; pickling keeps the answers."""
    with pytest.raises(NotFittedError):
        RoleIndex().match(Profile())
    roles = RoleIndex()
    assert roles.fit(ROLES) is roles
    profile = Profile(levels={"a": 3})
    assert pickle.loads(pickle.dumps(roles)).match(profile) == roles.match(profile)
    assert RoleIndex().fit([]).match(profile) == []


def test_readiness_is_the_same_float_everywhere(index, items):
    """Gap analysis, the learning path and role matches agree to the last bit, not roughly.

    Weights like 0.1, 0.7 and 0.3 make the order of additions show in the last bit, so a
    second way of summing would be caught here.
    """
    target = Target(
        tuple(
            Competency(s, lv, w)
            for s, lv, w in [
                ("aws", 3, 0.1),
                ("docker", 2, 0.7),
                ("kubernetes", 3, 0.3),
                ("linux", 2, 0.7),
                ("python", 4, 0.1),
                ("terraform", 3, 0.3),
            ]
        ),
        "mixed",
    )
    profile = Profile(levels={"aws": 1, "python": 1, "docker": 1})
    report = analyze_gap(profile, target)
    path = plan_learning_path(index, profile, target, Constraints(max_hours=30))
    (match,) = RoleIndex().fit([target]).match(profile)
    assert path.readiness_before == report.readiness == match.readiness
    assert path.weighted_gap == report.weighted_gap == match.weighted_gap
    reached = dict(profile.levels)
    for step in path.steps:
        for change in step.closes:
            reached[change.skill] = max(reached.get(change.skill, 0), change.after)
    assert path.readiness_after == analyze_gap(Profile(levels=reached), target).readiness
