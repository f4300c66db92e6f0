"""Pure recommendation model: skill resolution, gap analysis, ranking, path planning.

No Flask and no database: inputs are the plain dataclasses of :mod:`recommender.types`,
fitted models follow the scikit-learn estimator contract.

The public names load on first use (PEP 562), so that importing a light module such as
:mod:`recommender.text` does not pull in numpy, scipy and scikit-learn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recommender.context import RequestContext
    from recommender.gap import Gap, GapReport, RoleIndex, RoleMatch, analyze_gap, role_matches
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

_HOMES = {
    "context": ("RequestContext",),
    "gap": ("Gap", "GapReport", "RoleIndex", "RoleMatch", "analyze_gap", "role_matches"),
    "index": ("CatalogIndex",),
    "path": ("LearningPath", "Step", "Unmet", "plan_learning_path"),
    "planner": ("PathPlanner", "Plan"),
    "profile": ("effective_profile",),
    "ranker": ("Ranker", "Recommendation"),
    "resolver": ("SkillMatch", "SkillResolver"),
    "sequence": ("Sequencer", "Slot", "schedule"),
    "types": (
        "MAX_LEVEL",
        "CatalogItem",
        "Competency",
        "Completion",
        "Constraints",
        "LevelChange",
        "Profile",
        "SkillRecord",
        "Target",
    ),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "MAX_LEVEL",
    "RequestContext",
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


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first access, and keep the name here."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names along with what is already loaded."""
    return sorted(set(globals()) | set(__all__))
