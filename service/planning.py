"""Recommendation requests from validated input to answer: typed steps raising domain errors.

A request builds each value it needs once - the fitted models, the effective profile, the
target, the constraints (:mod:`service.planning_inputs`) - and passes it on. It answers with
the dataclasses of :mod:`service.answers`, naming catalog items by the summaries the models
keep. The database is read per request only for a stored employee: personal data, never
cached.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from recommender import (
    Constraints,
    Profile,
    SkillMatch,
    Target,
    analyze_gap,
    plan_learning_path,
)
from recommender.context import request_context
from recommender.gap import readiness_from
from service import feedback_effects
from service.answers import (
    ExcludedItem,
    GapAnswer,
    ModelInfo,
    PathAnswer,
    PathStep,
    RankedItem,
    RecommendationAnswer,
    RoleMatchAnswer,
)
from service.engine import Models, models_for
from service.metrics import observe_plan
from service.planning_inputs import (
    constraints_for,
    filters_for,
    inline_profile,
    inline_target,
    skill_ids,
    stored_employee,
    stored_profile,
    stored_snapshot,
    today,
)


def path_answer(
    models: Models,
    profile: Profile,
    target: Target,
    constraints: Constraints,
    *,
    as_of: dt.date,
    excluded: Mapping[str, str] | None = None,
) -> PathAnswer:
    """Plan a learning path and describe its items by the summaries the models keep.

    :param excluded: items the employee's feedback leaves out (item -> action); the answer
        names those a path without that feedback would have taken (see
        :func:`service.feedback_effects.used_by_feedback`).
    """
    left_out = feedback_effects.exclusion(models, excluded or {})
    started = time.perf_counter()
    path = plan_learning_path(
        models.index,
        feedback_effects.without(profile, left_out),
        target,
        constraints,
        planner=models.planner,
        as_of=as_of,
    )
    observe_plan(time.perf_counter() - started, path.planner, path.optimal)
    dropped: tuple[ExcludedItem, ...] = ()
    if left_out.because:
        path = feedback_effects.explain_unmet(path, models, left_out)
        dropped = tuple(
            ExcludedItem(models.items[item], because, action)
            for item, because, action in feedback_effects.used_by_feedback(
                models, profile, target, constraints, path, left_out
            )
        )
    steps = [PathStep(step, models.items[step.item_id]) for step in path.steps]
    currencies = sorted({s.item.currency for s in steps if s.item.cost})
    return PathAnswer(
        target=target,
        path=path,
        steps=steps,
        currency=", ".join(currencies) or None,
        model=ModelInfo(models.version, path.planner, path.optimal, path.bound),
        excluded=dropped,
    )


# -- one function per request -------------------------------------------------------------------


def skill_matches(*, session: Session, text: str, limit: int) -> list[SkillMatch]:
    """Return the ``limit`` canonical skills closest to free text, best first."""
    return models_for(session).resolver.resolve(text, limit=limit)


def employee_gaps(
    *, session: Session, employee_id: str, role_id: str | None, as_of: dt.date | None = None
) -> GapAnswer:
    """Measure a stored employee's gap to a role (default: their first target role)."""
    employee = stored_employee(
        session=session, employee_id=employee_id, role_id=role_id, as_of=as_of or today()
    )
    return GapAnswer(
        employee_id=employee.employee_id,
        target=employee.target,
        report=analyze_gap(employee.profile, employee.target),
        catalog_version=employee.models.version,
    )


def employee_recommendations(
    *,
    session: Session,
    employee_id: str,
    role_id: str | None,
    limit: int,
    goal: str | None = None,
    modalities: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    as_of: dt.date | None = None,
) -> RecommendationAnswer:
    """Rank catalog items for a stored employee and a role, filtered as asked or preferred."""
    employee = stored_employee(
        session=session, employee_id=employee_id, role_id=role_id, as_of=as_of or today()
    )
    models, profile, target = employee.models, employee.profile, employee.target
    filters = filters_for(
        employee.preferences, modalities=modalities, languages=languages, kinds=kinds
    )
    left_out = feedback_effects.exclusion(models, employee.feedback.excluded)
    # One context serves every ranking of the request and its readiness: feedback only
    # marks items done, so the gap it measures is the profile's own.
    ctx = request_context(
        models.index, feedback_effects.without(profile, left_out), target, filters
    )
    ranked = feedback_effects.rank(
        models, ctx, limit=limit, goal=goal, interested=employee.feedback.interested
    )
    vector = ctx.gaps.vector
    return RecommendationAnswer(
        employee_id=employee.employee_id,
        target=target,
        readiness=readiness_from(vector.weighted_gap, vector.total_weight),
        items=[RankedItem(r, models.items[r.item_id], raised) for r, raised in ranked],
        catalog_version=models.version,
    )


def employee_path(
    *,
    session: Session,
    employee_id: str,
    role_id: str | None,
    constraints: Mapping[str, Any],
    as_of: dt.date | None = None,
) -> PathAnswer:
    """Plan a learning path for a stored employee under the constraints the request gives."""
    as_of = as_of or today()
    employee = stored_employee(
        session=session, employee_id=employee_id, role_id=role_id, as_of=as_of
    )
    return path_answer(
        employee.models,
        employee.profile,
        employee.target,
        constraints_for(constraints, employee.preferences, as_of=as_of),
        as_of=as_of,
        excluded=employee.feedback.excluded,
    )


def stateless_path(
    *,
    session: Session,
    profile: Mapping[str, Any],
    target: Mapping[str, Any],
    constraints: Mapping[str, Any],
    as_of: dt.date | None = None,
) -> PathAnswer:
    """Plan a learning path for a profile and a target the request carries; nothing is read.

    The skills of the profile and of the target resolve together, so one answer names every
    unknown one.

    :raise RecordError: naming every skill reference that matches no skill.
    :raise NotFoundError: when the target names a role that does not exist.
    """
    as_of = as_of or today()
    models = models_for(session)
    refs = [(f"profile.skills[{n}].skill", s["skill"]) for n, s in enumerate(profile["skills"])]
    refs += [
        (f"target.competencies[{n}].skill", c["skill"])
        for n, c in enumerate(target.get("competencies") or ())
    ]
    ids = skill_ids(session=session, models=models, refs=refs, fuzzy=profile["resolve"])
    return path_answer(
        models,
        inline_profile(models, profile, ids, as_of=as_of),
        inline_target(models, target, ids),
        constraints_for(constraints, {}, as_of=as_of),
        as_of=as_of,
    )


def employee_role_matches(
    *, session: Session, employee_id: str, limit: int, as_of: dt.date | None = None
) -> RoleMatchAnswer:
    """Rank every role by a stored employee's readiness for it."""
    employee = stored_snapshot(session, employee_id)
    models = models_for(session, version=employee.catalog_version)
    profile = stored_profile(models, employee, as_of=as_of or today())
    return RoleMatchAnswer(
        employee_id=employee.id,
        matches=models.roles.match(profile, limit=limit),
        catalog_version=models.version,
    )
