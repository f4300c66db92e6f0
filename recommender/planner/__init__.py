"""Choose the set of items that closes the most weighted gap within the learner's limits.

:class:`PathPlanner` is the estimator; its stages live beside it: candidate selection
(:mod:`~recommender.planner.candidates`), the exact MILP (:mod:`~recommender.planner.exact`)
with its cycle cuts (:mod:`~recommender.planner.cycles`), and the greedy fallback and
augmentation (:mod:`~recommender.planner.greedy`). Callers that plan many requests at once take each
request's candidates from :meth:`PathPlanner.candidates` (a :class:`Problem`) and solve
their models as one program with :func:`solve_together`.
"""

from recommender.planner.candidates import Problem
from recommender.planner.estimator import PathPlanner, Plan
from recommender.planner.exact import solve_together

__all__ = ["PathPlanner", "Plan", "Problem", "solve_together"]
