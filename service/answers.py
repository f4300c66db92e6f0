"""What the recommendation endpoints answer: the recommender's results, with what a request adds.

The response schemas read these as they are. A recommender result keeps its own type and sits
beside the summary of the catalog item it names, kept with the fitted models.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommender import GapReport, LearningPath, Recommendation, RoleMatch, Step, Target
from service.engine import ItemSummary


@dataclass(frozen=True, slots=True)
class GapAnswer:
    """How far a stored employee is from a target."""

    employee_id: str
    target: Target
    report: GapReport
    catalog_version: int


@dataclass(frozen=True, slots=True)
class RankedItem:
    """A ranked item and the catalog item it names; ``interested`` if the employee said so."""

    recommendation: Recommendation
    item: ItemSummary
    interested: bool = False


@dataclass(frozen=True, slots=True)
class RecommendationAnswer:
    """Items ranked for a stored employee and a target, best first."""

    employee_id: str
    target: Target
    readiness: float
    items: list[RankedItem]
    catalog_version: int


@dataclass(frozen=True, slots=True)
class PathStep:
    """A step of a learning path and the catalog item it names."""

    step: Step
    item: ItemSummary


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which catalog version and which planner answered, and whether provably optimally.

    ``bound`` is the best coverage any plan over the available items could reach.
    """

    catalog_version: int
    planner: str
    optimal: bool
    bound: float | None = None


@dataclass(frozen=True, slots=True)
class ExcludedItem:
    """An item a path would have taken but the employee's feedback left out.

    ``because`` is the item the feedback was about: the item itself, or one it requires.
    """

    item: ItemSummary
    because: str
    action: str


@dataclass(frozen=True, slots=True)
class PathAnswer:
    """A learning path with its steps' items; ``currency`` lists those of the steps that cost."""

    target: Target
    path: LearningPath
    steps: list[PathStep]
    currency: str | None
    model: ModelInfo
    excluded: tuple[ExcludedItem, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleMatchAnswer:
    """Roles ranked by a stored employee's readiness."""

    employee_id: str
    matches: list[RoleMatch]
    catalog_version: int
