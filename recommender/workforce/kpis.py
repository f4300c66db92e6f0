"""Workforce KPIs over time: periods, levels at any moment from skill history, and closure.

Times are ``datetime64[us]`` in UTC, days ``datetime64[D]``. A period is half-open,
``[start, end)``: an event exactly at midnight belongs to the period that starts then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from recommender.gap import weighted_sums
from recommender.profile import add_months
from recommender.workforce.gaps import Entries
from recommender.workforce.levels import LevelTable, valid_on

INTERVALS = ("week", "month", "quarter")
MONTHS_PER = {"month": 1, "quarter": 3}


def period_start(day: dt.date, interval: str) -> dt.date:
    """Return the first day of the period of ``interval`` holding ``day``.

    Weeks start on Monday (ISO 8601), quarters in January, April, July and October.
    """
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def next_start(start: dt.date, interval: str) -> dt.date:
    """Return the first day of the period after the one starting on ``start``."""
    if interval == "week":
        return start + dt.timedelta(days=7)
    return add_months(start, MONTHS_PER[interval])


def periods(first: dt.date, last: dt.date, interval: str) -> list[tuple[dt.date, dt.date]]:
    """Return ``(start, end)`` of every period from the one holding ``first`` to the one
    holding ``last``; ``end`` is the next period's first day."""
    out = []
    start = period_start(first, interval)
    while start <= last:
        end = next_start(start, interval)
        out.append((start, end))
        start = end
    return out


def count_periods(first: dt.date, last: dt.date, interval: str) -> int:
    """Return how many periods :func:`periods` would give, without listing them."""
    a, b = period_start(first, interval), period_start(last, interval)
    if interval == "week":
        return (b - a).days // 7 + 1
    months = (b.year - a.year) * 12 + b.month - a.month
    return months // MONTHS_PER[interval] + 1


@dataclass(frozen=True)
class History:
    """Skill events of a population, grouped by ``(employee, skill)`` and in time order.

    Attributes
    ----------
    table_keys : ndarray of int64, shape (n_pairs,)
        Sorted unique ``employee * n_skills + skill`` keys.
    starts : ndarray of int64, shape (n_pairs,)
        Where each key's events begin.
    at : ndarray of datetime64[us], shape (n_events,)
    to_level : ndarray of int64, shape (n_events,)
    n_skills : int
    """

    table_keys: np.ndarray
    starts: np.ndarray
    at: np.ndarray
    to_level: np.ndarray
    n_skills: int

    @classmethod
    def of(cls, n_skills: int, employee, skill, at, to_level) -> History:
        """Group events (in any order; ties in time keep the given order)."""
        keys = np.asarray(employee, np.int64) * n_skills + np.asarray(skill, np.int64)
        at = np.asarray(at, "datetime64[us]")
        order = np.lexsort((np.arange(keys.size), at, keys))
        keys = keys[order]
        first = np.ones(keys.size, dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        starts = first.nonzero()[0]
        return cls(keys[starts], starts, at[order], np.asarray(to_level, np.int64)[order], n_skills)

    def before(self, moment: np.datetime64) -> LevelTable:
        """Return every effective level as the events before ``moment`` left it."""
        if not self.at.size:
            return LevelTable(self.n_skills, self.table_keys, self.table_keys * 0)
        seen = np.add.reduceat((self.at < moment).astype(np.int64), self.starts)
        level = np.where(seen > 0, self.to_level[self.starts + np.maximum(seen, 1) - 1], 0)
        keep = level > 0
        return LevelTable(self.n_skills, self.table_keys[keep], level[keep])


def closure(
    history: History, demand: Entries, known_since: np.ndarray, start, end
) -> tuple[float, float, int]:
    """Weigh the gap to target at ``start`` and how much of it was closed by ``end``.

    Only employees known before ``start`` (``known_since`` per employee) count: a profile
    loaded during the period is a starting point, not learning.

    Returns
    -------
    weighted_gap_at_start, closed : float
    employees : int
        How many employees counted.
    """
    counted = known_since[demand.employee] < start
    if not counted.any():
        return 0.0, 0.0, 0
    employee, col = demand.employee[counted], demand.col[counted]
    required, weight = demand.required[counted], demand.weight[counted]
    gap0 = np.maximum(0, required - history.before(start).lookup(employee, col))
    gap1 = np.maximum(0, required - history.before(end).lookup(employee, col))
    total = float(weighted_sums(weight, gap0)[0])
    closed = float(weighted_sums(weight, np.maximum(0, gap0 - gap1))[0])
    return total, closed, int(np.unique(employee).size)


def active_pairs(keys, completed_at, last_day, day: np.datetime64) -> int:
    """Count distinct ``keys`` (employee and certification) with a completion valid on ``day``."""
    completed_at = np.asarray(completed_at, "datetime64[D]")
    started = np.isnat(completed_at) | (np.where(np.isnat(completed_at), day, completed_at) <= day)
    valid = started & valid_on(last_day, day)
    return int(np.unique(np.asarray(keys)[valid]).size)


def within(moments, start, end) -> np.ndarray:
    """Tell which moments (days or times, NaT never) fall in ``[start, end)``."""
    moments = np.asarray(moments)
    known = ~np.isnat(moments)
    filled = np.where(known, moments, start)
    return known & (filled >= start) & (filled < end)
