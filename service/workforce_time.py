"""Workforce views over time: certifications that lapse, and KPIs per period from history.

KPIs, per period ``[start, end)``:

- ``skills_gap_closure_rate``: weighted gap (against each employee's target roles, or the
  role named) closed during the period / weighted gap at its start, over the employees known
  before it started (DESIGN.md); levels come from the skill history.
- ``certifications_active``: employee and certification pairs valid on the period's last day
  (today for the current period); ``certifications_earned``: certification completions dated
  in the period.
- ``plans_completed``: kept plans that became completed in the period;
  ``plan_completion_rate``: those / the plans that ended in the period completed or
  abandoned (a superseded plan lives on in the plan that replaced it).
- ``learning_hours``: hours of the catalog items completed in the period.
- ``internal_moves``: employees whose current role changed to one of their target roles.

A period that ends before the history starts has no figures (null) and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from catalog.analytics.people import load_people
from catalog.analytics.timeline import load_timeline
from catalog.history import now
from recommender.workforce import kpis
from service.engine import models_for
from service.planning import today
from service.workforce import role_target
from service.workforce_frame import build_frame, completions_of


@dataclass(frozen=True, slots=True)
class Certification:
    """A certification an employee holds or held, and the last day it counts."""

    employee: str
    display_name: str | None
    team: str | None
    certification: str
    title: str
    completed_at: dt.date | None
    expires_on: dt.date
    days_left: int
    status: str  # expired or expiring


@dataclass(frozen=True, slots=True)
class Period:
    """The KPIs of one period; figures are None when the period has no history."""

    start: dt.date
    end: dt.date
    has_history: bool
    employees_counted: int | None = None
    weighted_gap_at_start: float | None = None
    weighted_gap_closed: float | None = None
    skills_gap_closure_rate: float | None = None
    certifications_active: int | None = None
    certifications_earned: int | None = None
    plans_completed: int | None = None
    plan_completion_rate: float | None = None
    learning_hours: float | None = None
    internal_moves: int | None = None


@dataclass(frozen=True, slots=True)
class KpiSeries:
    """KPIs per period, and when the history they come from starts."""

    interval: str
    team: str | None
    role: str | None
    history_starts: dt.datetime | None
    periods: list[Period]


def _day(moment: dt.datetime) -> np.datetime64:
    return np.datetime64(moment.date(), "D")


def _moment(value: dt.datetime | dt.date) -> np.datetime64:
    """Return a UTC time (or a day's midnight) as naive ``datetime64[us]``."""
    if isinstance(value, dt.datetime):
        return np.datetime64(value.astimezone(dt.UTC).replace(tzinfo=None), "us")
    return np.datetime64(value, "D").astype("datetime64[us]")


def _moments(values) -> np.ndarray:
    return np.array(
        [np.datetime64("NaT", "us") if v is None else _moment(v) for v in values],
        "datetime64[us]",
    )


def history_employee(events) -> np.ndarray:
    """Return the employee position of each event row."""
    return np.array([r[0] for r in events], dtype=np.int64)


def certifications(
    *, session: Session, within_days: int, team: str | None = None, as_of: dt.date | None = None
) -> list[Certification]:
    """List certifications expiring within ``within_days`` or expired, soonest first.

    Of several completions of one certification by one employee the latest-lasting counts:
    a renewed certification is not due. Certifications that never expire are not listed.
    """
    as_of = as_of or today()
    models = models_for(session)
    index = models.index
    people = load_people(session=session, team=team)
    done = completions_of(models, people)
    kind = index.kind_[np.maximum(done.item, 0)]
    codes = index.codes_of(index.kinds_, ["certification"])
    is_cert = (done.item >= 0) & np.isin(kind, codes) & ~np.isnat(done.last_day)
    horizon = np.datetime64(as_of + dt.timedelta(days=within_days), "D")
    latest: dict[tuple[int, int], int] = {}
    for n in np.flatnonzero(is_cert).tolist():
        key = (int(done.employee[n]), int(done.item[n]))
        held = latest.get(key)
        if held is None or done.last_day[n] > done.last_day[held]:
            latest[key] = n
    today_ = np.datetime64(as_of, "D")
    rows = []
    for (employee, item), n in latest.items():
        last = done.last_day[n]
        if last > horizon:
            continue
        left = int((last - today_).astype(np.int64))
        rows.append(
            Certification(
                employee=people.ids[employee],
                display_name=people.names[employee],
                team=people.teams[employee],
                certification=str(index.item_ids_[item]),
                title=models.items[str(index.item_ids_[item])].title,
                completed_at=None
                if np.isnat(done.completed_at[n])
                else done.completed_at[n].astype(dt.date),
                expires_on=last.astype(dt.date),
                days_left=left,
                status="expired" if left < 0 else "expiring",
            )
        )
    rows.sort(key=lambda c: (c.expires_on, c.employee, c.certification))
    return rows


def kpi_series(
    *,
    session: Session,
    first: dt.date,
    last: dt.date,
    interval: str,
    team: str | None = None,
    role: str | None = None,
) -> KpiSeries:
    """Work out the KPIs of every period from the one holding ``first`` to the one holding
    ``last``.

    :raise NotFoundError: the role does not exist.
    """
    models = models_for(session)
    if role is not None:
        role_target(models, role)
    until = now()
    people = load_people(session=session, team=team)
    frame = build_frame(models, people, as_of=until.date())
    timeline = load_timeline(session=session, team=team, until=until)
    position = people.position()
    index = models.index
    # The demand: each employee against their target roles, or everyone against the role.
    if role is not None:
        employees = np.arange(frame.size, dtype=np.int64)
        roles = np.full(frame.size, frame.role_row(role), dtype=np.int64)
    else:
        employees, roles = frame.own_targets()
    demand = frame.entries(employees, roles)
    events = [
        (position[e], index.skill_index_[s], at, level)
        for e, s, at, level in timeline.events
        if e in position and s in index.skill_index_
    ]
    history = kpis.History.of(
        index.n_skills,
        [r[0] for r in events],
        [r[1] for r in events],
        _moments(r[2] for r in events),
        [r[3] for r in events],
    )
    first_event = _moments([min((r[2] for r in events), default=None)])[0]
    # Known since their record was created, or their first event if history goes further back.
    known = _moments(people.created_at)
    np.minimum.at(known, history_employee(events), _moments(r[2] for r in events))
    done = frame.completions
    kind = index.kind_[np.maximum(done.item, 0)]
    is_cert = (done.item >= 0) & np.isin(kind, index.codes_of(index.kinds_, ["certification"]))
    cert_keys = done.employee[is_cert] * max(index.n_items, 1) + done.item[is_cert]
    hours = np.where(done.item >= 0, index.hours_[np.maximum(done.item, 0)], 0.0)
    plan_status = np.array([p[1] for p in timeline.plans], dtype=object)
    plan_ended = _moments(p[3] for p in timeline.plans)
    moved = [(position[e], at) for e, at, targeted in timeline.moves if targeted and e in position]
    move_who = np.array([m[0] for m in moved], dtype=np.int64)
    move_at = _moments(m[1] for m in moved)
    cap = _moment(until)
    out = []
    for start, end in kpis.periods(first, last, interval):
        t0, t1 = _moment(start), min(_moment(end), cap)
        if np.isnat(first_event) or first_event >= t1:
            out.append(Period(start, end - dt.timedelta(days=1), has_history=False))
            continue
        gap0, closed, counted = kpis.closure(history, demand, known, t0, t1)
        d0, d1 = np.datetime64(start, "D"), np.datetime64(end, "D")
        last_day = min(d1 - 1, _day(until))
        completed = kpis.within(plan_ended, t0, t1) & (plan_status == "completed")
        ended = completed | (kpis.within(plan_ended, t0, t1) & (plan_status == "abandoned"))
        in_period = kpis.within(done.completed_at, d0, d1)
        out.append(
            Period(
                start=start,
                end=end - dt.timedelta(days=1),
                has_history=True,
                employees_counted=counted,
                weighted_gap_at_start=gap0,
                weighted_gap_closed=closed,
                skills_gap_closure_rate=closed / gap0 if gap0 > 0 else None,
                certifications_active=kpis.active_pairs(
                    cert_keys, done.completed_at[is_cert], done.last_day[is_cert], last_day
                ),
                certifications_earned=int((in_period & is_cert).sum()),
                plans_completed=int(completed.sum()),
                plan_completion_rate=completed.sum() / ended.sum() if ended.any() else None,
                learning_hours=float(hours[in_period].sum()),
                internal_moves=int(np.unique(move_who[kpis.within(move_at, t0, t1)]).size),
            )
        )
    return KpiSeries(
        interval=interval,
        team=team,
        role=role,
        history_starts=None
        if np.isnat(first_event)
        else first_event.astype(dt.datetime).replace(tzinfo=dt.UTC),
        periods=out,
    )
