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

The history starts with the first thing recorded about the employees covered: a change of
skill level, a kept plan or a role change. A period that ends before it has no figures
(null) and says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from catalog.analytics.people import load_people
from catalog.analytics.timeline import load_timeline
from catalog.history import now
from recommender.workforce import kpis
from service.engine import models_for
from service.planning_inputs import today
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
    """Return times (None for unknown; naive ones and ISO text in UTC) as ``datetime64[us]``,
    NaT for None.

    Text and naive times convert in one numpy call; aware ones through their POSIX timestamps.
    """
    values = list(values)
    first = next((v for v in values if v is not None), None)
    if first is None or isinstance(first, str) or first.tzinfo is None:
        return np.array(values, dtype="datetime64[us]")
    seconds = np.array([np.nan if v is None else v.timestamp() for v in values], dtype=float)
    unknown = np.isnan(seconds)
    micros = np.round(np.where(unknown, 0.0, seconds) * 1e6).astype(np.int64)
    out = micros.view("datetime64[us]")
    out[unknown] = np.datetime64("NaT", "us")
    return out


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
    people = load_people(session=session, team=team, stated=False, item_kind="certification")
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
    people = load_people(session=session, team=team, created=True, stated=False)
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
    employee, skill, at, to_level = timeline.events
    # One dictionary lookup per event, no other Python step: there are hundreds of thousands.
    n_events = len(employee)
    unknown = itertools.repeat(-1)
    event_employee = np.fromiter(map(position.get, employee, unknown), np.int64, n_events)
    event_skill = np.fromiter(map(index.skill_index_.get, skill, unknown), np.int64, n_events)
    kept = (event_employee >= 0) & (event_skill >= 0)
    times = _moments(at)[kept]
    event_employee, event_skill = event_employee[kept], event_skill[kept]
    levels = np.asarray(to_level, np.int64)[kept] if n_events else np.zeros(0, np.int64)
    # Only the events of demanded skills are weighed at each boundary (every event still
    # dates when an employee and the history became known, below).
    n_skills = index.n_skills
    weighed = np.isin(
        event_employee * n_skills + event_skill, demand.employee * n_skills + demand.col
    )
    history = kpis.History.of(
        n_skills, event_employee[weighed], event_skill[weighed], times[weighed], levels[weighed]
    )
    # Known since their record was created, or their first event if history goes further back.
    known = _moments(people.created_at)
    np.minimum.at(known, event_employee, times)
    # Competencies no event ever touched keep a gap of their whole level: weigh them once.
    located = history.locate(demand.employee, demand.col)
    touched = located >= 0
    moving, located = demand.take(touched), located[touched]
    untouched = ~touched
    still = np.bincount(
        demand.employee[untouched],
        weights=(demand.weight * demand.required)[untouched],
        minlength=frame.size,
    )
    done = frame.completions
    kind = index.kind_[np.maximum(done.item, 0)]
    is_cert = (done.item >= 0) & np.isin(kind, index.codes_of(index.kinds_, ["certification"]))
    cert_keys = done.employee[is_cert] * max(index.n_items, 1) + done.item[is_cert]
    hours = np.where(done.item >= 0, index.hours_[np.maximum(done.item, 0)], 0.0)
    plan_status = np.array(timeline.plans[1], dtype=object)
    plan_ended = _moments(timeline.plans[3])
    moved = [
        (position[e], at)
        for e, at, targeted in zip(*timeline.moves, strict=True)
        if targeted and e in position
    ]
    move_who = np.array([m[0] for m in moved], dtype=np.int64)
    move_at = _moments([m[1] for m in moved])
    cap = _moment(until)
    # The history starts with the first thing recorded: a level change, a plan, a move.
    recorded = np.concatenate([times, _moments(timeline.plans[2]), _moments(timeline.moves[1])])
    first_event = recorded.min() if recorded.size else np.datetime64("NaT", "us")
    levels_at: dict[np.datetime64, np.ndarray] = {}

    def level_at(moment: np.datetime64) -> np.ndarray:
        if moment not in levels_at:
            levels_at[moment] = history.before(moment, located)
        return levels_at[moment]

    out = []
    for start, end in kpis.periods(first, last, interval):
        t0, t1 = _moment(start), min(_moment(end), cap)
        if np.isnat(first_event) or first_event >= t1:
            out.append(Period(start, end - dt.timedelta(days=1), has_history=False))
            continue
        counted = known < t0
        gap0, closed = kpis.closure(moving, counted[moving.employee], level_at(t0), level_at(t1))
        gap0 += float(still[counted].sum())
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
                employees_counted=int((known < t0).sum()),
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
