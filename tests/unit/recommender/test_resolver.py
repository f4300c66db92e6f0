"""Skill resolution: exact matches first, then character n-gram similarity over a threshold."""

from __future__ import annotations

import pickle

import pytest
from sklearn.exceptions import NotFittedError

from recommender import SkillRecord, SkillResolver


@pytest.fixture(scope="module")
def resolver(skills) -> SkillResolver:
    """Return a resolver fitted on the toy taxonomy."""
    return SkillResolver().fit(skills)


@pytest.mark.parametrize(
    ("text", "skill_id", "matched_on"),
    [
        ("aws", "aws", "id"),
        ("AMAZON WEB SERVICES", "aws", "name"),
        ("  amazon   web services ", "aws", "name"),
        ("k8s", "kubernetes", "alias"),
        ("gnu/linux", "linux", "alias"),
    ],
)
def test_exact_matches_score_one(resolver, text, skill_id, matched_on):
    """Ids, names and aliases match case- and space-insensitively with score 1.0."""
    best = resolver.resolve(text)[0]
    assert (best.skill_id, best.score, best.matched_on) == (skill_id, 1.0, matched_on)
    assert resolver.lookup(text) == skill_id


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("kubernets", "kubernetes"),
        ("terrafrom", "terraform"),
        ("pyhton", "python"),
        ("Amazon Web Service", "aws"),
        ("dockr", "docker"),
    ],
)
def test_typos_resolve_to_the_intended_skill(resolver, text, skill_id):
    """Misspellings resolve, best first, but are not exact."""
    matches = resolver.resolve(text)
    assert matches[0].skill_id == skill_id
    assert 0.5 <= matches[0].score < 1.0
    assert resolver.lookup(text) is None


def test_threshold_filters_resolve_but_not_suggest(skills):
    """Scores under the threshold never resolve; suggest still offers the closest names."""
    strict = SkillResolver(threshold=0.99).fit(skills)
    assert strict.resolve("kubernets") == []
    assert strict.suggest("kubernets")[0].skill_id == "kubernetes"
    assert all(m.score >= 0.3 for m in SkillResolver(threshold=0.3).fit(skills).resolve("cloud"))


def test_results_are_ordered_limited_and_deterministic(resolver):
    """Best score first, ties by skill id, at most ``limit`` results."""
    matches = resolver.suggest("container", limit=4)
    assert len(matches) == 4
    assert [(-m.score, m.skill_id) for m in matches] == sorted(
        (-m.score, m.skill_id) for m in matches
    )
    assert matches == resolver.suggest("container", limit=4)
    assert resolver.resolve("aws", limit=0) == []


@pytest.mark.parametrize("text", ["", "   ", "zzzzqqq"])
def test_nothing_matches_nonsense(resolver, text):
    """Blank or unrelated text resolves to nothing."""
    assert resolver.resolve(text) == []
    assert resolver.lookup(text) is None


def test_an_alias_shared_by_two_skills_matches_both():
    """Ambiguous aliases return every skill; lookup picks the best kind, then the smaller id."""
    resolver = SkillResolver().fit(
        [SkillRecord("b-go", "Go", ("golang",)), SkillRecord("a-go", "Go game", ("golang",))]
    )
    assert [m.skill_id for m in resolver.resolve("golang")] == ["a-go", "b-go"]
    assert resolver.lookup("golang") == "a-go"
    assert resolver.lookup("go") == "b-go"  # a name beats an alias


def test_estimator_contract(skills, resolver):
    """Unfitted use raises NotFittedError; fit returns self; pickling keeps the answers."""
    with pytest.raises(NotFittedError):
        SkillResolver().resolve("aws")
    fresh = SkillResolver()
    assert fresh.fit(skills) is fresh
    restored = pickle.loads(pickle.dumps(resolver))
    for text in ("kubernets", "k8s", "cloud"):
        assert restored.resolve(text) == resolver.resolve(text)
    assert SkillResolver().fit([]).resolve("aws") == []
