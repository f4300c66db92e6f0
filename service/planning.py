"""Recommendation requests from validated input to answer: typed steps raising domain errors.

A request builds each value it needs once - the fitted models, the effective profile, the
target, the constraints - and passes it on. It answers with the dataclasses of
:mod:`service.answers`, naming catalog items by the summaries the models keep. The database
is read per request only for a stored employee: personal data, never cached.
"""

from __future__ import annotations

import datetime as dt
import difflib
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from catalog import clock
from catalog.errors import NoTargetRoleError, NotFoundError, RecordError, RowError
from catalog.feedback import FeedbackSets, feedback_sets
from catalog.skills import resolve_skill_refs
from catalog.snapshot import EmployeeSnapshot, employee_snapshot
from recommender import (
    Constraints,
    Profile,
    SkillMatch,
    Target,
    analyze_gap,
    effective_profile,
    plan_learning_path,
)
from recommender.text import name_key
from recommender.types import (
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_MAX_HOURS,
    DEFAULT_MAX_ITEMS,
    Competency,
    Completion,
)
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
from service.engine import Models, models_for, resolve_skill_names
from service.metrics import observe_plan


def today() -> dt.date:
    """Return today's date in UTC: the day profiles are valid on and schedules start."""
    return clock.now().date()


# -- what a request plans with ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredEmployee:
    """A stored employee aimed at a target, with the models their profile was built against."""

    employee_id: str
    preferences: Mapping[str, Any]
    models: Models
    target: Target
    profile: Profile
    feedback: FeedbackSets = FeedbackSets(excluded={}, interested=frozenset())


def _employee(session: Session, employee_id: str) -> EmployeeSnapshot:
    """Return a stored employee.

    :raise NotFoundError: when there is no such employee.
    """
    employee = employee_snapshot(session=session, employee_id=employee_id)
    if employee is None:
        raise NotFoundError("employee", employee_id)
    return employee


def stored_profile(models: Models, employee: EmployeeSnapshot, *, as_of: dt.date) -> Profile:
    """Return a stored employee's effective profile on ``as_of``."""
    return effective_profile(
        skills=employee.skills, completions=employee.completions, items=models.index, as_of=as_of
    )


def stored_employee(
    *, session: Session, employee_id: str, role_id: str | None, as_of: dt.date
) -> StoredEmployee:
    """Read a stored employee and aim them at ``role_id``, or at their first target role.

    :raise NotFoundError: when there is no such employee, or no such role.
    :raise NoTargetRoleError: when no role is named and the employee has no target role.
    """
    employee = _employee(session, employee_id)
    models = models_for(session)
    target = target_for(models, role_id, target_roles=employee.target_roles)
    return StoredEmployee(
        employee_id=employee.id,
        preferences=employee.preferences,
        models=models,
        target=target,
        profile=stored_profile(models, employee, as_of=as_of),
        feedback=feedback_sets(session=session, employee_id=employee.id),
    )


def target_for(models: Models, role_id: str | None, *, target_roles: Sequence[str] = ()) -> Target:
    """Return the role ``role_id`` as a target; without one, the first of ``target_roles``.

    :raise NoTargetRoleError: when neither names a role.
    :raise NotFoundError: when the role does not exist.
    """
    if role_id is None:
        if not target_roles:
            raise NoTargetRoleError("no role was named and there is no target role to default to")
        role_id = target_roles[0]
    target = models.role_targets.get(role_id)
    if target is None:
        raise NotFoundError("role", role_id, suggestions=closest_roles(models, role_id))
    return target


def closest_roles(models: Models, text: str, *, limit: int = 3) -> list[str]:
    """Return the ids of the roles whose id or title reads most like ``text``, best first."""
    key = name_key(text)
    names: dict[str, str] = {}
    for role_id, target in models.role_targets.items():
        names.setdefault(name_key(role_id), role_id)
        if target.title:
            names.setdefault(name_key(target.title), role_id)
    close = difflib.get_close_matches(key, list(names), n=limit * 2, cutoff=0.6)
    return list(dict.fromkeys(names[name] for name in close))[:limit]


def _as_set(values: Iterable[str] | None) -> frozenset[str] | None:
    """Return the values as a filter; none (or an empty list) means no filter."""
    return frozenset(values) if values else None


def constraints_for(
    args: Mapping[str, Any], preferences: Mapping[str, Any], *, as_of: dt.date
) -> Constraints:
    """Return a path's constraints: the request's, else the employee's preferences, else defaults.

    A constraint the request names wins even when it is null (``budget: null`` plans without
    a budget whatever the preferences say); a preference that is null or absent does not
    count. The schedule starts on ``as_of`` unless the request names a ``start_date``.
    """

    def pick(name: str, preference: str | None, default: Any) -> Any:
        if name in args:
            return args[name]
        if preference and preferences.get(preference) is not None:
            return preferences[preference]
        return default

    return Constraints(
        max_hours=pick("max_hours", None, DEFAULT_MAX_HOURS),
        budget=pick("budget", "budget", None),
        max_items=pick("max_items", None, DEFAULT_MAX_ITEMS),
        hours_per_week=pick("hours_per_week", "hours_per_week", DEFAULT_HOURS_PER_WEEK),
        start_date=args.get("start_date") or as_of,
        modalities=_as_set(pick("modalities", "modalities", None)),
        languages=_as_set(pick("languages", "languages", None)),
        kinds=_as_set(args.get("kinds")),
        goal=args.get("goal"),
    )


def filters_for(
    preferences: Mapping[str, Any],
    *,
    modalities: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
) -> Constraints:
    """Return the filters of a ranking, without limits: the request's, else the preferences'."""
    return Constraints(
        max_hours=None,
        budget=None,
        max_items=None,
        modalities=_as_set(modalities or preferences.get("modalities")),
        languages=_as_set(languages or preferences.get("languages")),
        kinds=_as_set(kinds),
    )


def skill_ids(
    *, session: Session, models: Models, refs: Sequence[tuple[str, str]], fuzzy: bool
) -> dict[str, str]:
    """Map skill references to ids: as stored (id, name or alias), then if ``fuzzy`` by similarity.

    :param refs: ``(field, reference)`` pairs, the field naming where the request gave it.
    :raise RecordError: naming the field of every reference that matches no skill.
    """
    names = [ref for _, ref in refs]
    if fuzzy:
        found = resolve_skill_names(session, names, models=models)
    else:
        found, _ = resolve_skill_refs(session=session, refs=names)
    missing = {ref for ref in names if ref not in found}
    if missing:
        raise RecordError(
            [
                RowError(0, field, f"unknown skill {ref!r}", unknown_skill=ref)
                for field, ref in refs
                if ref in missing
            ]
        )
    return found


def inline_profile(
    models: Models, profile: Mapping[str, Any], ids: Mapping[str, str], *, as_of: dt.date
) -> Profile:
    """Return the effective profile a request carries, its skill references mapped by ``ids``.

    :param profile: ``skills`` as ``{skill, level}`` and ``completed`` as ``{item,
        completed_at, expires_at}`` (dates optional); a skill given twice counts at its highest.
    """
    levels: dict[str, int] = {}
    for stated in profile["skills"]:
        skill = ids[stated["skill"]]
        levels[skill] = max(levels.get(skill, 0), stated["level"])
    completions = [
        Completion(c["item"], c.get("completed_at"), c.get("expires_at"))
        for c in profile["completed"]
    ]
    return effective_profile(
        skills=levels, completions=completions, items=models.index, as_of=as_of
    )


def inline_target(models: Models, target: Mapping[str, Any], ids: Mapping[str, str]) -> Target:
    """Return the target a request carries: a stored role, or competencies mapped by ``ids``.

    :raise NotFoundError: when the role does not exist.
    """
    if "role" in target:
        return target_for(models, target["role"])
    return Target(
        competencies=tuple(
            Competency(ids[c["skill"]], c["level"], c["weight"]) for c in target["competencies"]
        ),
        title=target.get("title"),
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
    ranked = feedback_effects.rank(
        models,
        feedback_effects.without(profile, left_out),
        target,
        limit=limit,
        filters=filters,
        goal=goal,
        interested=employee.feedback.interested,
    )
    return RecommendationAnswer(
        employee_id=employee.employee_id,
        target=target,
        readiness=analyze_gap(profile, target).readiness,
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
    employee = _employee(session, employee_id)
    models = models_for(session)
    profile = stored_profile(models, employee, as_of=as_of or today())
    return RoleMatchAnswer(
        employee_id=employee.id,
        matches=models.roles.match(profile, limit=limit),
        catalog_version=models.version,
    )
