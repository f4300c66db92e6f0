"""How an employee's feedback changes what the recommender answers them.

Dismissed and not-relevant items are left out as a completed item would be, and so is every
item that requires one of them (it could not be taken without it): the recommender's
``Profile.completed`` already means "never offer this". Interested items have their score
raised in the ranking.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from recommender import LearningPath, Profile, Recommendation, Target
from recommender.context import RequestContext
from recommender.types import Constraints
from service.engine import Models

# An item the employee said they are interested in ranks as if its score were this much higher.
INTERESTED_BOOST = 1.5
# How many more items than asked for are ranked to look for interested ones, at first.
FIRST_WINDOW = 4


@dataclasses.dataclass(frozen=True, slots=True)
class Exclusion:
    """Items feedback leaves out: each with the item whose feedback did, and the action."""

    because: dict[str, tuple[str, str]]

    @property
    def items(self) -> frozenset[str]:
        """Return the ids of the items left out."""
        return frozenset(self.because)


def exclusion(models: Models, excluded: Mapping[str, str]) -> Exclusion:
    """Return the items left out by feedback: those named, and those requiring them."""
    if not excluded:
        return Exclusion({})
    index = models.index
    because = {item: (item, action) for item, action in excluded.items()}
    rows = index.rows_of(list(excluded))
    if not rows.size:
        return Exclusion(because)
    # R[i, j]: item i requires item j. Walk from the excluded items to those needing them.
    requires = index.requires_.tocsc()
    frontier = rows
    seen = set(rows.tolist())
    while frontier.size:
        found = []
        for row in frontier.tolist():
            start, end = requires.indptr[row], requires.indptr[row + 1]
            origin = because[str(index.item_ids_[row])]
            for dependant in requires.indices[start:end].tolist():
                if dependant not in seen:
                    seen.add(dependant)
                    because[str(index.item_ids_[dependant])] = origin
                    found.append(dependant)
        frontier = np.array(found, dtype=np.int64)
    return Exclusion(because)


def without(profile: Profile, left_out: Exclusion) -> Profile:
    """Return ``profile`` with the items left out counted as completed: never offered."""
    if not left_out.because:
        return profile
    return Profile(levels=profile.levels, completed=profile.completed | left_out.items)


def explain_unmet(path: LearningPath, models: Models, left_out: Exclusion) -> LearningPath:
    """Say "left out by feedback" where only items feedback left out would teach a gap."""
    if not left_out.because:
        return path
    best: dict[str, int] = {}
    for row in models.index.rows_of(list(left_out.items)).tolist():
        for skill, level in models.index.taught_levels(row):
            best[skill] = max(best.get(skill, 0), level)
    unmet = [
        dataclasses.replace(
            gap,
            code="feedback",
            reason="the items teaching it were dismissed or marked not relevant",
        )
        if gap.code == "completed" and best.get(gap.skill, 0) > gap.reached
        else gap
        for gap in path.unmet
    ]
    return dataclasses.replace(path, unmet=unmet)


def rank(
    models: Models,
    ctx: RequestContext,
    *,
    limit: int,
    goal: str | None,
    interested: frozenset[str],
) -> list[tuple[Recommendation, bool]]:
    """Rank items, raising those the employee is interested in; each says whether it was.

    ``ctx`` is the request's context on ``models.index``, its filters included. A raised
    score can lift an item from below the first ``limit``: the ranking is widened until no
    item beyond it could enter even raised (or everything is ranked).
    """
    ranker = models.ranker
    if not interested:
        return [(r, False) for r in ranker.rank(ctx, limit=limit, goal=goal)]
    window = limit * FIRST_WINDOW + len(interested)
    while True:
        ranked = ranker.rank(ctx, limit=window, goal=goal)
        scored = sorted(
            ((_raised(r, interested), r.item_id in interested) for r in ranked),
            key=lambda pair: (-pair[0].score, pair[0].item_id),
        )
        if len(ranked) < window or len(scored) < limit:
            return scored[:limit]
        # Anything below the window scores at most the last one; raised, it must stay below.
        if ranked[-1].score * INTERESTED_BOOST < scored[limit - 1][0].score:
            return scored[:limit]
        window *= 4


def _raised(recommendation: Recommendation, interested: frozenset[str]) -> Recommendation:
    if recommendation.item_id not in interested:
        return recommendation
    return dataclasses.replace(recommendation, score=recommendation.score * INTERESTED_BOOST)


def used_by_feedback(
    models: Models,
    profile: Profile,
    target: Target,
    constraints: Constraints,
    path: LearningPath,
    left_out: Exclusion,
) -> list[tuple[str, str, str]]:
    """Return ``(item, because, action)`` for the left-out items a path without feedback takes.

    Rather than plan the whole path again without the feedback, the planner re-plans over the
    path's own items and the left-out ones (with the suppliers they need), for the profile
    without the feedback: a few candidates, one small solve. Those of the left-out items
    that plan takes are the ones the feedback cost the path, in the order it takes them.
    """
    index = models.index
    ctx = RequestContext.build(index, profile, target, constraints)
    rows = index.rows_of([step.item_id for step in path.steps] + sorted(left_out.items))
    return [
        (item, *left_out.because[item])
        for item in models.planner.plan_over(ctx, rows)
        if item in left_out.because
    ]
