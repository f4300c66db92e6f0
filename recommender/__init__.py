"""Pure recommendation model: skill resolution, gap analysis, ranking, path planning.

No Flask and no database: inputs are the plain dataclasses of :mod:`recommender.types`,
fitted models follow the scikit-learn estimator contract.
"""

from recommender.context import RequestContext
from recommender.gap import (
    Gap,
    GapReport,
    RoleIndex,
    RoleMatch,
    analyze_gap,
    role_matches,
)
from recommender.index import CatalogIndex
from recommender.path import LearningPath, Step, Unmet, plan_learning_path
from recommender.planner import PathPlanner, Plan
from recommender.profile import effective_profile
from recommender.ranker import Ranker, Recommendation
from recommender.resolver import SkillMatch, SkillResolver
from recommender.sequence import Sequencer, Slot, schedule
from recommender.types import (
    MAX_LEVEL,
    CatalogItem,
    Competency,
    Completion,
    Constraints,
    LevelChange,
    Profile,
    SkillRecord,
    Target,
)

__all__ = [
    "MAX_LEVEL",
    "CatalogIndex",
    "CatalogItem",
    "Competency",
    "Completion",
    "Constraints",
    "Gap",
    "GapReport",
    "LearningPath",
    "LevelChange",
    "PathPlanner",
    "Plan",
    "Profile",
    "Ranker",
    "Recommendation",
    "RequestContext",
    "RoleIndex",
    "RoleMatch",
    "Sequencer",
    "SkillMatch",
    "SkillRecord",
    "SkillResolver",
    "Slot",
    "Step",
    "Target",
    "Unmet",
    "analyze_gap",
    "effective_profile",
    "plan_learning_path",
    "role_matches",
    "schedule",
]
