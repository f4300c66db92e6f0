"""Candidates for a role: every employee screened, the best few planned to ready.

The screen (readiness of every employee not in the role, and which gaps no item can close)
and each hours to ready are kept per worker under the catalog and people versions
(:mod:`service.workforce_cache`): a request after no write reads two counters and answers.
Otherwise the screen reads every employee's evidence for the role's skills in a few bulk
queries, the employees still without hours are read together, and only those whose profile
no kept plan was made for are planned, one by one.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy.orm import Session

from catalog.analytics.people import People, load_people
from catalog.snapshot import EmployeeSnapshot
from catalog.version import get_people_version
from catalog.vocabulary import READY_NOW_READINESS
from recommender.gain import EPS
from recommender.types import Completion, Constraints, Target
from recommender.workforce.gaps import pair_readiness, unreachable
from service.engine import Models, models_for
from service.planning import stored_profile, target_for, today
from service.workforce_answers import Candidate, Candidates
from service.workforce_cache import Screen, candidate_cache
from service.workforce_frame import build_frame

# The planner's estimate of hours to close a whole gap: no limit on hours, items or money.
UNLIMITED = Constraints(max_hours=None, budget=None, max_items=None)


def teaching_ceiling(models: Models) -> np.ndarray:
    """Return the highest level any active item teaches, per skill column of the index."""
    index = models.index
    taught = index.taught_.multiply(index.active_[:, None].astype(np.float32)).tocsc()
    return np.asarray(taught.max(axis=0).todense()).ravel().astype(np.int64)


def screen_role(*, session: Session, models: Models, target: Target, as_of: dt.date) -> Screen:
    """Weigh every employee not in the role against it, best first."""
    skills = sorted({c.skill for c in target.competencies})
    people = load_people(session=session, targets=False, skills=skills)
    frame = build_frame(models, people, as_of=as_of)
    row = frame.role_row(str(target.role_id))
    employees = np.flatnonzero(frame.current_role != row).astype(np.int64)
    roles = np.full(employees.size, row, dtype=np.int64)
    found = frame.entries(employees, roles)
    readiness, weighted = pair_readiness(frame.roles, found, roles)
    # A level no available item teaches cannot be reached: no need to ask the planner.
    blocked = unreachable(found, employees.size, teaching_ceiling(models))
    ids = np.array(people.ids, dtype=object)[employees].astype(str)
    order = np.lexsort((ids, -readiness))
    roster = People(
        ids=people.ids, names=people.names, teams=people.teams, current_roles=people.current_roles
    )
    return Screen(
        people=roster,
        employees=employees[order],
        readiness=readiness[order],
        weighted_gap=weighted[order],
        blocked=blocked[order],
    )


def profiles(*, session: Session, models: Models, employee_ids, as_of: dt.date) -> dict:
    """Read some employees' whole evidence in one go; return their profiles on ``as_of``."""
    people = load_people(session=session, ids=employee_ids, targets=False)
    skills: list[dict[str, int]] = [{} for _ in people.ids]
    for n, skill, level in zip(*people.stated, strict=True):
        skills[n][skill] = level
    done: list[list[Completion]] = [[] for _ in people.ids]
    for n, item, completed_at, expires_at in zip(*people.completions, strict=True):
        done[n].append(Completion(item, completed_at, expires_at))
    return {
        ident: stored_profile(
            models,
            EmployeeSnapshot(
                id=ident,
                skills=skills[n],
                # In item order, as one employee's snapshot reads them.
                completions=tuple(sorted(done[n], key=lambda c: c.item)),
                target_roles=(),
                preferences={},
            ),
            as_of=as_of,
        )
        for n, ident in enumerate(people.ids)
    }


def hours_to_ready(models: Models, profile, target: Target) -> float | None:
    """Return the planner's hours to close a profile's whole gap, or None if it cannot.

    The planner runs without limits on hours, items or money, so the only gaps it leaves
    open are those no available item closes.
    """
    plan = models.planner.plan(profile, target, UNLIMITED)
    if plan.weighted_gap <= 0:
        return 0.0
    return plan.total_hours if plan.closed >= plan.weighted_gap - EPS else None


def role_candidates(
    *,
    session: Session,
    role: str,
    limit: int,
    team: str | None = None,
    as_of: dt.date | None = None,
) -> Candidates:
    """Rank employees by readiness for a role; plan the hours to ready for the best ``limit``.

    Employees already in the role are not candidates for it.

    :raise NotFoundError: the role does not exist.
    """
    as_of = as_of or today()
    models = models_for(session)
    target = target_for(models, role)
    # Read before any row: rows newer than the key only make the kept screen go sooner.
    key = (models.version, get_people_version(session=session), as_of.isoformat())
    cache = candidate_cache()
    screen = cache.get(key, role)
    if screen is None:
        screen = cache.put(
            key, role, screen_role(session=session, models=models, target=target, as_of=as_of)
        )
    people = screen.people
    picked = np.arange(screen.employees.size)
    if team is not None:
        teams = np.array(people.teams, dtype=object)[screen.employees]
        picked = np.flatnonzero(teams == team)
    screened = int(picked.size)
    picked = picked[:limit].tolist()
    ids = [people.ids[int(screen.employees[p])] for p in picked]
    hours = screen.hours
    wanted = [
        i for i, p in zip(ids, picked, strict=True) if i not in hours and not screen.blocked[p]
    ]
    if wanted:
        found = profiles(session=session, models=models, employee_ids=wanted, as_of=as_of)
        for ident in wanted:
            profile = found.get(ident)
            if profile is None:  # erased since the screen was read: no plan to make
                hours[ident] = None
                continue
            plan_key = (models.version, role, frozenset(profile.levels.items()), profile.completed)
            kept, hours[ident] = cache.hours(plan_key)
            if not kept:
                hours[ident] = hours_to_ready(models, profile, target)
                cache.keep_hours(plan_key, hours[ident])
    chosen = []
    for ident, p in zip(ids, picked, strict=True):
        e = int(screen.employees[p])
        readiness = float(screen.readiness[p])
        chosen.append(
            Candidate(
                employee=ident,
                display_name=people.names[e],
                team=people.teams[e],
                current_role=people.current_roles[e],
                readiness=readiness,
                weighted_gap=float(screen.weighted_gap[p]),
                ready_now=bool(readiness >= READY_NOW_READINESS),
                hours_to_ready=None if screen.blocked[p] else hours[ident],
            )
        )
    return Candidates(
        role=target,
        ready_now_threshold=READY_NOW_READINESS,
        screened=screened,
        candidates=chosen,
        catalog_version=models.version,
    )
