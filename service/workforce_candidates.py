"""Candidates for a role: every employee screened, the best few planned to ready.

The screen (readiness of every employee not in the role, and which gaps no item can close)
and each hours to ready are kept per worker under the catalog and people versions
(:mod:`service.workforce_cache`): a request after no write reads two counters and answers.
Otherwise the screen reads every employee's evidence for the role's skills in a few bulk
queries, the employees still without hours are read together, and those whose profile no
kept plan was made for are planned together (:mod:`recommender.workforce.ready`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy.orm import Session

from catalog.analytics.people import load_people
from catalog.snapshot import EmployeeSnapshot
from catalog.version import get_people_version
from catalog.vocabulary import READY_NOW_READINESS
from recommender.types import Completion, Profile, Target
from recommender.workforce.gaps import pair_readiness, unreachable
from recommender.workforce.ready import hours_to_ready_many
from service.engine import Models, models_for
from service.planning_inputs import stored_profile, target_for, today
from service.workforce_answers import Candidate, Candidates
from service.workforce_cache import PlanKey, Screen, candidate_cache
from service.workforce_frame import build_frame


def teaching_ceiling(models: Models) -> np.ndarray:
    """Return the highest level any active item teaches, per skill column of the index."""
    index = models.index
    taught = index.taught_.multiply(index.active_[:, None].astype(np.float32)).tocsc()
    return np.asarray(taught.max(axis=0).todense()).ravel().astype(np.int64)


def screen_role(
    *, session: Session, models: Models, target: Target, team: str | None, as_of: dt.date
) -> Screen:
    """Weigh every employee (of ``team``, if given) not in the role against it, best first."""
    skills = sorted({c.skill for c in target.competencies})
    # Names and teams are read only for the few answered with (:func:`read_top`).
    people = load_people(session=session, team=team, names=False, targets=False, skills=skills)
    frame = build_frame(models, people, as_of=as_of)
    row = frame.role_row(str(target.role_id))
    employees = np.flatnonzero(frame.current_role != row).astype(np.int64)
    # Most employees hold none of the role's skills, and all of those weigh the same: work
    # the gap out for the others, and once for one who holds nothing (a position past the
    # last employee, which has no level), whose figures the rest take.
    holding = np.zeros(frame.size + 1, dtype=bool)
    holding[frame.levels.employees()] = True
    weighed = np.append(employees[holding[employees]], frame.size)
    roles = np.full(weighed.size, row, dtype=np.int64)
    found = frame.entries(weighed, roles)
    some_readiness, some_weighted = pair_readiness(frame.roles, found, roles)
    # A level no available item teaches cannot be reached: no need to ask the planner.
    some_blocked = unreachable(found, weighed.size, teaching_ceiling(models))
    at = np.full(frame.size + 1, weighed.size - 1, dtype=np.int64)
    at[weighed] = np.arange(weighed.size)
    readiness = some_readiness[at[employees]]
    weighted = some_weighted[at[employees]]
    blocked = some_blocked[at[employees]]
    ids = np.array(people.ids, dtype=object)[employees].astype(str)
    order = np.lexsort((ids, -readiness))
    return Screen(
        ids=ids[order].tolist(),
        readiness=readiness[order],
        weighted_gap=weighted[order],
        blocked=blocked[order],
    )


def read_top(
    *, session: Session, models: Models, screen: Screen, ids: list[str], as_of: dt.date
) -> dict[str, Profile]:
    """Read the names, teams and current roles of some employees into ``screen``, and the
    whole evidence of those given; return the profiles on ``as_of`` of the latter."""
    people = load_people(session=session, ids=ids, targets=False)
    skills: list[dict[str, int]] = [{} for _ in people.ids]
    for n, skill, level in zip(*people.stated, strict=True):
        skills[n][skill] = level
    done: list[list[Completion]] = [[] for _ in people.ids]
    for n, item, completed_at, expires_at in zip(*people.completions, strict=True):
        done[n].append(Completion(item, completed_at, expires_at))
    found = {}
    for n, ident in enumerate(people.ids):
        screen.details[ident] = (people.names[n], people.teams[n], people.current_roles[n])
        snapshot = EmployeeSnapshot(
            id=ident,
            skills=skills[n],
            # In item order, as one employee's snapshot reads them.
            completions=tuple(sorted(done[n], key=lambda c: c.item)),
            target_roles=(),
            preferences={},
        )
        found[ident] = stored_profile(models, snapshot, as_of=as_of)
    return found


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
    screen = cache.get(key, (role, team))
    if screen is None:
        screen = screen_role(session=session, models=models, target=target, team=team, as_of=as_of)
        screen = cache.put(key, (role, team), screen)
    ids = screen.ids[:limit]
    hours = screen.hours
    unread = [i for i in ids if i not in screen.details]
    wanted = [i for p, i in enumerate(ids) if i not in hours and not screen.blocked[p]]
    if unread or wanted:
        found = read_top(
            session=session, models=models, screen=screen, ids=unread + wanted, as_of=as_of
        )
        to_plan: dict[PlanKey, list[str]] = {}
        for ident in wanted:
            profile = found.get(ident)
            if profile is None:  # erased since the screen was read: no plan to make
                hours[ident] = None
                continue
            plan_key = (models.version, role, frozenset(profile.levels.items()), profile.completed)
            kept, value = cache.hours(plan_key)
            if kept:
                hours[ident] = value
            else:  # no placeholder: another thread reading the screen must not see one
                to_plan.setdefault(plan_key, []).append(ident)
        # One program for all the profiles no kept plan was made for.
        planned = hours_to_ready_many(
            models.planner, [found[same[0]] for same in to_plan.values()], target
        )
        for (plan_key, same), value in zip(to_plan.items(), planned, strict=True):
            cache.keep_hours(plan_key, value)
            hours.update(dict.fromkeys(same, value))
    chosen = []
    for p, ident in enumerate(ids):
        name, team_of, current_role = screen.details.get(ident, (None, None, None))
        readiness = float(screen.readiness[p])
        chosen.append(
            Candidate(
                employee=ident,
                display_name=name,
                team=team_of,
                current_role=current_role,
                readiness=readiness,
                weighted_gap=float(screen.weighted_gap[p]),
                ready_now=bool(readiness >= READY_NOW_READINESS),
                hours_to_ready=None if screen.blocked[p] else hours[ident],
            )
        )
    return Candidates(
        role=target,
        ready_now_threshold=READY_NOW_READINESS,
        screened=len(screen.ids),
        candidates=chosen,
        catalog_version=models.version,
    )
