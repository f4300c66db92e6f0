"""Dominance among items keeps exactly the items no other item beats on every count."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.planner.dominance import undominated


def brute_force(features, hours, cost, rows) -> np.ndarray:
    """Compare every pair by the definition: no worse everywhere, and better or a smaller row."""
    n = rows.size
    kept = np.ones(n, dtype=bool)
    for j in range(n):
        for i in range(n):
            if i == j:
                continue
            no_worse = (features[i] >= features[j]).all() and hours[i] <= hours[j]
            no_worse = no_worse and cost[i] <= cost[j]
            same = (features[i] == features[j]).all() and (hours[i], cost[i]) == (hours[j], cost[j])
            if no_worse and (not same or rows[i] < rows[j]):
                kept[j] = False
    return kept


@pytest.mark.parametrize("kind", ["levels", "wide levels", "fractions", "large", "many items"])
def test_undominated_matches_the_pairwise_definition(kind):
    """Small integer features (packed keys), many columns, and other values (np.unique); a few
    dozen items (one table of every pair) and a few hundred (grouped, then batched)."""
    rng = np.random.default_rng(20261202)
    for _ in range(300 if kind != "many items" else 8):
        n = int(rng.integers(1, 40)) if kind != "many items" else int(rng.integers(300, 360))
        width = int(rng.integers(0, 5)) if kind != "wide levels" else int(rng.integers(15, 40))
        features = rng.integers(-2, 3, size=(n, width)).astype(float)
        if kind == "fractions":
            features = features / 4
        if kind == "large":
            features = features * 9
        if n > 2:  # exact copies of one item's features
            features[rng.integers(n, size=n // 3)] = features[0]
        hours = rng.integers(1, 4, n).astype(float)
        cost = rng.integers(0, 3, n) * 10.0
        rows = rng.permutation(1000)[:n]
        expected = brute_force(features, hours, cost, rows)
        np.testing.assert_array_equal(undominated(features, hours, cost, rows), expected)
