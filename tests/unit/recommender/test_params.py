"""Estimator parameters are stored by ``__init__`` and checked by ``fit``."""

from __future__ import annotations

import numpy as np
import pytest

from recommender import PathPlanner, Ranker, SkillResolver

ESTIMATORS = (Ranker, PathPlanner, SkillResolver)


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_every_parameter_has_a_rule(estimator):
    """No parameter escapes the check: each one ``__init__`` takes has a rule."""
    assert set(estimator().get_params()) == set(estimator._parameter_rules)


def fit(estimator, index, skills):
    """Fit an estimator on what it learns from: the taxonomy or the catalog index."""
    return estimator.fit(skills if isinstance(estimator, SkillResolver) else index)


@pytest.mark.parametrize(
    ("estimator", "params", "allowed"),
    [
        (Ranker, {"similarity_weight": 5}, r"in \[0, 1\]"),
        (Ranker, {"similarity_weight": -0.1}, r"in \[0, 1\]"),
        (Ranker, {"similarity_weight": "half"}, r"in \[0, 1\]"),
        (Ranker, {"goal_weight": -1.0}, ">= 0"),
        (Ranker, {"goal_weight": float("inf")}, ">= 0"),
        (Ranker, {"hours_scale": 0}, "> 0"),
        (Ranker, {"hours_scale": float("nan")}, "> 0"),
        (PathPlanner, {"time_limit": 0}, "> 0"),
        (PathPlanner, {"time_limit": -1.0}, "> 0"),
        (PathPlanner, {"time_limit": None}, "> 0"),
        (PathPlanner, {"n_candidates": 0}, "integer >= 1"),
        (PathPlanner, {"n_candidates": 2.5}, "integer >= 1"),
        (PathPlanner, {"n_candidates": True}, "integer >= 1"),
        (PathPlanner, {"n_per_level": -1}, "integer >= 0"),
        (PathPlanner, {"n_suppliers": -1}, "integer >= 0"),
        (PathPlanner, {"prerequisite_depth": 1.0}, "integer >= 0"),
        (PathPlanner, {"mip_rel_gap": 1.5}, r"in \[0, 1\]"),
        (PathPlanner, {"solver": "magic"}, "one of 'milp', 'greedy'"),
        (SkillResolver, {"threshold": 1.2}, r"in \[0, 1\]"),
        (SkillResolver, {"threshold": -0.5}, r"in \[0, 1\]"),
        (SkillResolver, {"ngram_range": (3, 2)}, "1 <= min_n <= max_n"),
        (SkillResolver, {"ngram_range": (0, 2)}, "1 <= min_n <= max_n"),
        (SkillResolver, {"ngram_range": 3}, "1 <= min_n <= max_n"),
        (SkillResolver, {"ngram_range": [2, 4]}, "a tuple"),
        (SkillResolver, {"use_descriptions": "yes"}, "True or False"),
        (SkillResolver, {"embedding_store": ""}, "a folder path"),
        (SkillResolver, {"embedding_store": 3}, "a folder path"),
    ],
)
def test_fit_rejects_parameters_out_of_range(index, skills, estimator, params, allowed):
    """``__init__`` accepts anything; ``fit`` names the parameter and what it allows."""
    model = estimator(**params)  # storing is not checking
    (name,) = params
    with pytest.raises(ValueError, match=f"{estimator.__name__} parameter '{name}' must be"):
        fit(model, index, skills)
    with pytest.raises(ValueError, match=allowed):
        fit(model, index, skills)


@pytest.mark.parametrize(
    ("estimator", "params"),
    [
        (Ranker, {"similarity_weight": 0, "goal_weight": 0, "hours_scale": 1e-3}),
        (Ranker, {"similarity_weight": np.float64(1.0), "goal_weight": 3}),
        (PathPlanner, {"time_limit": 0.01, "n_candidates": 1, "n_per_level": 0}),
        (PathPlanner, {"n_suppliers": np.int64(0), "prerequisite_depth": 0, "mip_rel_gap": 1}),
        (PathPlanner, {"solver": "greedy"}),
        (SkillResolver, {"threshold": 0, "ngram_range": (1, 1), "use_descriptions": False}),
        (SkillResolver, {"threshold": 1, "ngram_range": (np.int64(3), 5)}),
    ],
)
def test_fit_accepts_parameters_at_the_edges(index, skills, estimator, params):
    """Bounds that are part of the range and numpy scalars are fine."""
    model = estimator(**params)
    assert fit(model, index, skills) is model
