"""Choose the set of items that closes the most weighted gap within the learner's limits.

:class:`PathPlanner` is the estimator; its stages live beside it: candidate selection
(:mod:`~recommender.planner.candidates`), the exact MILP with its cycle cuts
(:mod:`~recommender.planner.exact`), and the greedy fallback and augmentation
(:mod:`~recommender.planner.greedy`).
"""

from recommender.planner.estimator import PathPlanner, Plan

__all__ = ["PathPlanner", "Plan"]
