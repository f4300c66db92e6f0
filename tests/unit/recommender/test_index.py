"""The catalog index: columns, sparse level matrices, metadata arrays, estimator contract."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from recommender import CatalogIndex, CatalogItem
from recommender.index import gather


def test_rows_are_sorted_by_item_id_and_skills_get_columns(index):
    """Items are rows in id order; taxonomy skills keep their order, extra skills follow."""
    assert list(index.item_ids_) == sorted(index.item_ids_)
    assert list(index.skill_ids_[:6]) == [
        "aws",
        "linux",
        "terraform",
        "kubernetes",
        "docker",
        "python",
    ]
    assert all(index.skill_index_[s] == c for c, s in enumerate(index.skill_ids_))
    assert index.taught_.shape == index.prereq_.shape == (7, 6)
    assert index.taught_.dtype == np.float32


def test_levels_prerequisites_and_metadata_are_indexed(index):
    """T, P, requires and the metadata arrays hold what the items say."""
    row = index.item_index_["terraform-up"]
    assert dict(index.taught_levels(row)) == {"terraform": 3, "aws": 2}
    assert index.prerequisites(index.item_index_["aws-saa"]) == [("linux", 2)]
    assert index.item_ids_[index.required_rows(row)].tolist() == ["linux-101"]
    assert index.hours_[row] == 20 and index.cost_[row] == 300
    assert index.modalities_[index.modality_[row]] == "instructor_led"
    assert not index.active_[index.item_index_["k8s-old"]]
    assert index.valid_months_[index.item_index_["aws-saa"]] == 36
    assert index.valid_months_[row] == 0
    assert (index.taught_csc_.toarray() == index.taught_.toarray()).all()


@pytest.mark.parametrize(
    ("skills", "expected"),
    [
        ((("a", 2), ("a", 4), ("b", 1)), {"a": 4, "b": 1}),
        ((("a", 0), ("b", 3)), {"b": 3}),
    ],
)
def test_duplicate_levels_keep_the_highest_and_zero_is_dropped(skills, expected):
    """A skill listed twice counts at its highest level; level 0 teaches nothing."""
    item = CatalogItem("x", "X", "course", "self_paced", 1.0, skills=skills)
    index = CatalogIndex().fit([], [item])
    assert dict(index.taught_levels(0)) == expected
    assert list(index.skill_ids_) == ["a", "b"]


def test_unknown_required_items_are_kept_apart():
    """Required ids the catalog lacks are remembered per row, not dropped."""
    items = [
        CatalogItem("a", "A", "course", "self_paced", 1.0, requires_items=("b", "ghost")),
        CatalogItem("b", "B", "course", "self_paced", 1.0),
    ]
    index = CatalogIndex().fit([], items)
    assert index.requires_.toarray().tolist() == [[False, True], [False, False]]
    assert index.requires_missing_ == {0: ("ghost",)}


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([CatalogItem("a", "A", "c", "m", 1.0), CatalogItem("a", "B", "c", "m", 1.0)], "duplicate"),
        ([CatalogItem("a", "A", "c", "m", 0.0)], "duration_hours"),
        ([CatalogItem("a", "A", "c", "m", 1.0, cost=-1.0)], "cost"),
        ([CatalogItem("a", "A", "c", "m", 1.0, skills=(("s", 6),))], "levels"),
    ],
)
def test_invalid_catalogs_are_rejected(items, message):
    """Duplicate ids, non-positive hours, negative cost and levels above 5 raise ValueError."""
    with pytest.raises(ValueError, match=message):
        CatalogIndex().fit([], items)


def test_empty_catalog_fits():
    """An empty catalog gives empty matrices rather than an error."""
    index = CatalogIndex().fit(["a"], [])
    assert index.taught_.shape == (0, 1) and index.n_items == 0


def test_estimator_contract(index):
    """Unfitted use raises NotFittedError; fit returns self; a pickled index is identical."""
    with pytest.raises(NotFittedError):
        CatalogIndex().rows_of(["a"])
    fresh = CatalogIndex()
    assert fresh.fit([], []) is fresh
    restored = pickle.loads(pickle.dumps(index))
    assert (restored.taught_ != index.taught_).nnz == 0
    assert restored.item_index_ == index.item_index_


def test_gather_reads_columns_without_slicing(index):
    """gather returns exactly the nonzeros of the requested columns."""
    cols = np.array([index.skill_index_["aws"], index.skill_index_["docker"]])
    rows, which, values = gather(index.taught_csc_, cols)
    dense = index.taught_.toarray()
    got = sorted(zip(rows.tolist(), cols[which].tolist(), values.tolist(), strict=True))
    expected = sorted(
        (r, c, dense[r, c]) for c in cols.tolist() for r in np.flatnonzero(dense[:, c])
    )
    assert got == expected
