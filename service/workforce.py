"""Workforce views from validated input to answer: skills, team heatmaps, candidates, mentors.

Each view reads the employees it covers in a few bulk queries (:mod:`catalog.analytics`),
turns them into arrays once (:mod:`service.workforce_frame`) and does its arithmetic with
:mod:`recommender.workforce`; only ``candidates`` runs the path planner, and only for the
few employees it answers with (:mod:`service.workforce_candidates`). Certifications and
KPIs over time are in :mod:`service.workforce_time`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy.orm import Session

from catalog.analytics.people import load_people
from catalog.errors import NotFoundError
from catalog.snapshot import employee_snapshot
from recommender.gap import weighted_sums
from recommender.types import Target
from recommender.workforce.gaps import cover, pair_readiness, skill_summary
from service.engine import Models, models_for
from service.planning_inputs import skill_ids, stored_profile, target_for, today
from service.workforce_answers import (
    Heatmap,
    HeatRow,
    Mentor,
    Mentors,
    SkillRow,
)
from service.workforce_frame import build_frame


def role_target(models: Models, role_id: str) -> Target:
    """Return a stored role as a target.

    :raise NotFoundError: naming the closest roles, when there is no such role.
    """
    return target_for(models, role_id)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def _skills_of(target: Target | None) -> list[str] | None:
    """Return the skills a target requires (None for no target: every skill matters)."""
    return None if target is None else sorted({c.skill for c in target.competencies})


def _names(models: Models, skills) -> list[str | None]:
    position, names = models.resolver.skill_position_, models.resolver.names_
    return [names[position[s]] if s in position else None for s in skills]


def skills_view(
    *,
    session: Session,
    team: str | None = None,
    role: str | None = None,
    skill: str | None = None,
    as_of: dt.date | None = None,
) -> list[SkillRow]:
    """Count levels held and levels required per skill, largest weighted shortfall first.

    Without ``role`` the demand is every employee's current and target roles; with it, only
    that role's, among the employees holding or aiming at it.

    :raise NotFoundError: the role does not exist.
    :raise RecordError: the skill reference matches no skill.
    """
    models = models_for(session)
    if role is not None:
        role_target(models, role)
    wanted = None
    if skill is not None:
        found = skill_ids(session=session, models=models, refs=[("skill", skill)], fuzzy=False)
        # A skill too new for the fitted models is held and required by nobody they know.
        wanted = models.index.skill_index_.get(found[skill], -1)
    frame = build_frame(models, load_people(session=session, team=team), as_of=as_of or today())
    everyone = np.arange(frame.size, dtype=np.int64)
    holders = frame.current_role >= 0
    employees = np.concatenate([everyone[holders], frame.target_employee])
    roles = np.concatenate([frame.current_role[holders], frame.target_role])
    population = everyone
    if role is not None:
        keep = roles == frame.role_row(role)
        employees, roles = employees[keep], roles[keep]
        population = np.unique(employees)
    n_skills = frame.models.index.n_skills
    summary = skill_summary(frame.levels, population, frame.entries(employees, roles), n_skills)
    if wanted is not None:
        cols = np.array([wanted] if wanted >= 0 else [], dtype=np.int64)
    elif role is not None:
        row = frame.role_row(role)
        cols = frame.roles.cols[frame.roles.indptr[row] : frame.roles.indptr[row + 1]]
    else:
        cols = np.flatnonzero((summary.demand > 0) | (summary.by_level[:, 1:].sum(axis=1) > 0))
    ids = frame.models.index.skill_ids_[cols]
    order = sorted(range(cols.size), key=lambda n: (-summary.shortfall[cols[n]], str(ids[n])))
    names = _names(models, ids)
    rows = []
    for n in order:
        c = cols[n]
        demand = int(summary.demand[c])
        rows.append(
            SkillRow(
                skill=str(ids[n]),
                name=names[n],
                employees_by_level=summary.by_level[c].tolist(),
                demand={"employees": demand, "by_level": summary.demand_by_level[c].tolist()},
                met=int(summary.met[c]),
                shortfall=float(summary.shortfall[c]),
                covered=_share(float(summary.met[c]), float(demand)),
            )
        )
    return rows


def team_heatmap(
    *, session: Session, team: str, role: str | None = None, as_of: dt.date | None = None
) -> Heatmap:
    """Lay a team's employees against a role, or each against their own target roles.

    :raise NotFoundError: no employee is in the team, or the role does not exist.
    """
    models = models_for(session)
    target = role_target(models, role) if role is not None else None
    people = load_people(session=session, team=team, skills=_skills_of(target))
    if not people.ids:
        raise NotFoundError("team", team)
    frame = build_frame(models, people, as_of=as_of or today())
    if target is not None:
        employees = np.arange(frame.size, dtype=np.int64)
        roles = np.full(frame.size, frame.role_row(role), dtype=np.int64)
    else:
        employees, roles = frame.own_targets()
    found = frame.entries(employees, roles)
    readiness, weighted = pair_readiness(frame.roles, found, roles)
    cols = np.unique(found.col)
    ids = frame.models.index.skill_ids_[cols]
    by_id = np.argsort(ids.astype(str), kind="stable")
    cols, ids = cols[by_id], ids[by_id]
    place = np.full(frame.models.index.n_skills, -1, dtype=np.int64)
    place[cols] = np.arange(cols.size)
    k = cols.size
    current = frame.levels.lookup(np.repeat(employees, k), np.tile(cols, employees.size))
    current = current.reshape(employees.size, k)
    required = np.full((employees.size, k), -1, dtype=np.int64)
    required[found.pair, place[found.col]] = found.required
    gap = np.where(required >= 0, np.maximum(0, required - current), -1)
    gap_w = found.weight * found.gap
    column = place[found.col]
    totals = [
        {
            "skill": str(ids[j]),
            "required_by": int(n),
            "below": int(b),
            "gap": int(g),
            "weighted_gap": float(w),
        }
        for j, (n, b, g, w) in enumerate(
            zip(
                np.bincount(column, minlength=k).tolist(),
                np.bincount(column, weights=found.gap > 0, minlength=k).astype(int).tolist(),
                np.bincount(column, weights=found.gap, minlength=k).astype(int).tolist(),
                np.bincount(column, weights=gap_w, minlength=k).tolist(),
                strict=True,
            )
        )
    ]

    def cells(values: np.ndarray) -> list[int | None]:
        return [None if v < 0 else v for v in values.tolist()]

    people_ = frame.people
    rows = [
        HeatRow(
            employee=people_.ids[e],
            display_name=people_.names[e],
            role=str(frame.roles.role_ids[r]),
            readiness=float(readiness[p]),
            weighted_gap=float(weighted[p]),
            current=current[p].tolist(),
            required=cells(required[p]),
            gap=cells(gap[p]),
        )
        for p, (e, r) in enumerate(zip(employees.tolist(), roles.tolist(), strict=True))
    ]
    aiming = set(employees.tolist())
    return Heatmap(
        team=team,
        role=target,
        skills=[
            {"skill": s, "name": n} for s, n in zip(ids.tolist(), _names(models, ids), strict=True)
        ],
        employees=rows,
        totals=totals,
        without_target=[i for n, i in enumerate(people_.ids) if n not in aiming],
    )


def employee_mentors(
    *,
    session: Session,
    employee_id: str,
    role: str | None,
    limit: int,
    as_of: dt.date | None = None,
) -> Mentors:
    """Rank the colleagues who offered to mentor by how much of an employee's gap they cover.

    :raise NotFoundError: no such employee, or no such role.
    :raise NoTargetRoleError: no role named and the employee has no target role.
    """
    as_of = as_of or today()
    snapshot = employee_snapshot(session=session, employee_id=employee_id)
    if snapshot is None:
        raise NotFoundError("employee", employee_id)
    models = models_for(session, version=snapshot.catalog_version)
    target = target_for(models, role, target_roles=snapshot.target_roles)
    offering = load_people(session=session, mentors=True, skills=_skills_of(target))
    frame = build_frame(models, offering, as_of=as_of)
    profile = stored_profile(models, snapshot, as_of=as_of)
    table = frame.roles
    row = table.role_index[str(target.role_id)]
    span = slice(table.indptr[row], table.indptr[row + 1])
    cols, required, weight = table.cols[span], table.required[span], table.weight[span]
    skills = models.index.skill_ids_[cols]
    current = np.array([int(profile.levels.get(s, 0)) for s in skills], dtype=np.int64)
    gap = np.maximum(0, required - current)
    total = float(weighted_sums(weight, gap)[0])
    others = np.array(
        [n for n, ident in enumerate(frame.people.ids) if ident != employee_id], dtype=np.int64
    )
    covered, levels = cover(frame.levels, others, cols, required, current, weight)
    ids = np.array(frame.people.ids, dtype=object)[others].astype(str)
    helpful = covered > 0
    order = [p for p in np.lexsort((ids, -covered)).tolist() if helpful[p]][:limit]
    people = frame.people
    mentors = [
        Mentor(
            employee=people.ids[others[p]],
            display_name=people.names[others[p]],
            team=people.teams[others[p]],
            covered=float(covered[p]) / total,
            weighted_gap_covered=float(covered[p]),
            skills=[
                {
                    "skill": str(skills[k]),
                    "employee_level": int(current[k]),
                    "mentor_level": int(levels[p, k]),
                    "required": int(required[k]),
                }
                for k in range(cols.size)
                if min(levels[p, k], required[k]) > current[k]
            ],
        )
        for p in order
    ]
    return Mentors(employee=employee_id, target=target, weighted_gap=total, mentors=mentors)
