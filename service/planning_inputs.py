"""What a recommendation request plans with: a stored employee, a target, constraints, skills.

Each step turns validated input into one typed value and raises domain errors: the stored
employee's effective profile (personal data, read per request and never cached), the target
role, the path's constraints and filters, and the skill references a request names.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from catalog import clock
from catalog.errors import NoTargetRoleError, NotFoundError, RecordError, RowError
from catalog.feedback import NO_FEEDBACK, FeedbackSets
from catalog.skills import resolve_skill_refs
from catalog.snapshot import EmployeeSnapshot, employee_snapshot
from recommender import Constraints, Profile, Target, effective_profile
from recommender.text import name_key
from recommender.types import (
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_MAX_HOURS,
    DEFAULT_MAX_ITEMS,
    Competency,
    Completion,
)
from service.engine import Models, models_for, resolve_skill_names


def today() -> dt.date:
    """Return today's date in UTC: the day profiles are valid on and schedules start."""
    return clock.now().date()


@dataclass(frozen=True, slots=True)
class StoredEmployee:
    """A stored employee aimed at a target, with the models their profile was built against."""

    employee_id: str
    preferences: Mapping[str, Any]
    models: Models
    target: Target
    profile: Profile
    feedback: FeedbackSets = NO_FEEDBACK


def stored_snapshot(session: Session, employee_id: str) -> EmployeeSnapshot:
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
    employee = stored_snapshot(session, employee_id)
    models = models_for(session, version=employee.catalog_version)
    target = target_for(models, role_id, target_roles=employee.target_roles)
    return StoredEmployee(
        employee_id=employee.id,
        preferences=employee.preferences,
        models=models,
        target=target,
        profile=stored_profile(models, employee, as_of=as_of),
        feedback=employee.feedback,
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
