"""Ranking items for a gap: gain, similarity, hours, goal, filters and tie-breaks."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.metrics.pairwise import linear_kernel

from recommender import CatalogIndex, Constraints, LevelChange, Profile, Ranker
from recommender.context import request_context
from recommender.ranker import Missing, top_k


@pytest.fixture(scope="module")
def ranker(index) -> Ranker:
    """Return a ranker fitted on the toy catalog."""
    return Ranker().fit(index)


def test_only_helpful_available_items_are_ranked(ranker, novice, cloud):
    """Zero-gain and retired items never appear; gains follow DESIGN.md."""
    ranked = {r.item_id: r for r in ranker.rank(novice, cloud, limit=20)}
    assert set(ranked) == {"k8s", "terraform-up", "aws-saa", "python-de"}
    assert ranked["k8s"].gain == pytest.approx(3.0)
    assert ranked["terraform-up"].gain == pytest.approx(0.5 * 3 + 0.8 * 1)
    assert ranked["terraform-up"].closes == [
        LevelChange("aws", 1, 2),
        LevelChange("terraform", 0, 3),
    ]
    assert not ranked["k8s"].ready and ranked["python-de"].ready


def test_score_combines_gain_similarity_and_hours(ranker, novice, cloud):
    """score = u/G * ((1 - a) + a * sim) * (1 + b * goal) * h0 / (h0 + hours)."""
    weighted_gap = 0.8 * 2 + 0.5 * 3 + 1.0 * 3 + 0.3 * 2
    for rec in ranker.rank(novice, cloud, limit=20):
        expected = rec.gain / weighted_gap * (0.5 + 0.5 * rec.similarity) * 40 / (40 + rec.hours)
        assert rec.score == pytest.approx(expected)
        assert 0 < rec.similarity <= 1


def test_scores_are_ordered_with_ties_by_id(ranker, novice, cloud):
    """Best score first; equal scores by item id."""
    ranked = ranker.rank(novice, cloud, limit=20)
    assert [(-r.score, r.item_id) for r in ranked] == sorted((-r.score, r.item_id) for r in ranked)
    assert ranked[0].item_id == "k8s"
    assert [r.item_id for r in ranker.rank(novice, cloud, limit=2)] == [
        r.item_id for r in ranked[:2]
    ]


@pytest.mark.parametrize(
    ("constraints", "profile_completed", "missing"),
    [
        (Constraints(languages=frozenset({"en"})), (), {"python-de"}),
        (Constraints(modalities=frozenset({"self_paced"})), (), {"terraform-up"}),
        (Constraints(max_hours=25), (), {"aws-saa", "k8s"}),
        (Constraints(budget=120), (), {"aws-saa", "terraform-up"}),
        (Constraints(kinds=frozenset({"certification"})), (), {"k8s", "terraform-up", "python-de"}),
        (None, ("k8s",), {"k8s"}),
    ],
)
def test_filters_and_completions_exclude_items(
    ranker, cloud, constraints, profile_completed, missing
):
    """Filtered, too long, too expensive and completed items are left out."""
    profile = Profile(levels={"aws": 1}, completed=frozenset(profile_completed))
    ranked = {r.item_id for r in ranker.rank(profile, cloud, limit=20, constraints=constraints)}
    assert ranked == {"k8s", "terraform-up", "aws-saa", "python-de"} - missing


def test_goal_text_boosts_matching_items(ranker, novice, cloud):
    """A goal matching an item's title or description raises it; others keep their score."""
    plain = {r.item_id: r.score for r in ranker.rank(novice, cloud, limit=20)}
    boosted = {
        r.item_id: r for r in ranker.rank(novice, cloud, limit=20, goal="infrastructure as code")
    }
    assert boosted["terraform-up"].goal_similarity > 0
    assert boosted["terraform-up"].score > plain["terraform-up"]
    assert boosted["python-de"].score == pytest.approx(plain["python-de"])
    assert ranker.rank(novice, cloud, limit=3, constraints=Constraints(goal="infrastructure")) == (
        ranker.rank(novice, cloud, limit=3, goal="infrastructure")
    )


def test_no_gap_means_no_recommendations(ranker, cloud):
    """A profile meeting every requirement gets nothing."""
    expert = Profile(levels={"aws": 5, "terraform": 5, "kubernetes": 5, "python": 5})
    assert ranker.rank(expert, cloud) == []


def test_top_k_breaks_ties_by_position():
    """Equal scores at the cut are settled by position, not by partition order."""
    score = np.array([1.0, 3.0, 2.0, 3.0, 2.0, 2.0])
    assert top_k(score, 3).tolist() == [1, 3, 2]
    assert top_k(score, 10).tolist() == [1, 3, 2, 4, 5, 0]


def test_estimator_contract(index, ranker, novice, cloud):
    """Unfitted use raises NotFittedError; fit returns self; pickling keeps the answers."""
    with pytest.raises(NotFittedError):
        Ranker().rank(novice, cloud)
    with pytest.raises(NotFittedError):
        Ranker().fit(CatalogIndex())
    fresh = Ranker()
    assert fresh.fit(index) is fresh
    restored = pickle.loads(pickle.dumps(ranker))
    assert restored.rank(novice, cloud, goal="cluster") == ranker.rank(
        novice, cloud, goal="cluster"
    )


def test_unready_items_name_what_they_miss(ranker, items, novice, cloud):
    """``missing`` is empty exactly when ready, and names each unmet skill level or item."""
    catalog = {i.id: i for i in items}
    recs = ranker.rank(novice, cloud, limit=20)
    assert any(not r.ready for r in recs)
    for rec in recs:
        item = catalog[rec.item_id]
        expected = [
            Missing(skill=s, level=lv)
            for s, lv in sorted(item.prerequisites)
            if novice.levels.get(s, 0) < lv
        ] + [Missing(item=r) for r in sorted(item.requires_items) if r not in novice.completed]
        assert rec.missing == expected
        assert rec.ready == (not rec.missing)


def test_similarity_is_the_tfidf_cosine_with_the_gap(ranker, index, novice, cloud):
    """The direct product gives what the TF-IDF transform and a linear kernel give."""
    gaps = request_context(index, novice, cloud, None).gaps
    rows = np.arange(index.taught_.shape[0])
    values = gaps.weight * (gaps.required - gaps.current)
    query = sparse.csr_matrix(
        (values, gaps.cols, [0, len(gaps.cols)]), shape=(1, index.taught_.shape[1])
    )
    expected = linear_kernel(ranker.item_vectors_[rows], ranker.tfidf_.transform(query)).ravel()
    np.testing.assert_array_equal(ranker._similarity(gaps, rows), np.clip(expected, 0, 1))
