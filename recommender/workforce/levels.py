"""Skill levels of a whole workforce at once: effective levels today, and levels back in time.

Levels are kept sparse, as sorted ``employee * n_skills + skill`` keys with a level each: an
organisation of 10,000 people and 2,000 skills holds a few hundred thousand nonzero levels,
not twenty million cells. Every function here is vectorised: no loop runs per employee.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from recommender.types import MAX_LEVEL

NEVER = np.datetime64("NaT", "D")


@dataclass(frozen=True)
class LevelTable:
    """Nonzero levels of ``(employee, skill)`` pairs, looked up by sorted key.

    Attributes
    ----------
    n_skills : int
        Columns per employee: a key is ``employee * n_skills + skill``.
    keys : ndarray of int64, shape (n,)
        Sorted and unique.
    levels : ndarray of int64, shape (n,)
    """

    n_skills: int
    keys: np.ndarray
    levels: np.ndarray

    @classmethod
    def highest(cls, n_skills: int, employees, skills, levels) -> LevelTable:
        """Keep the highest level of each ``(employee, skill)`` pair among the given rows."""
        keys = np.asarray(employees, np.int64) * n_skills + np.asarray(skills, np.int64)
        levels = np.clip(np.asarray(levels, np.int64), 0, MAX_LEVEL)
        order = np.lexsort((levels, keys))
        keys, levels = keys[order], levels[order]
        last = np.ones(keys.size, dtype=bool)
        last[:-1] = keys[1:] != keys[:-1]
        keys, levels = keys[last], levels[last]
        nonzero = levels > 0
        return cls(n_skills, keys[nonzero], levels[nonzero])

    def lookup(self, employees, skills) -> np.ndarray:
        """Return the level of each ``(employees[i], skills[i])``, 0 where none is held.

        Returns
        -------
        levels : ndarray of int64, same shape as ``employees``
        """
        wanted = np.asarray(employees, np.int64) * self.n_skills + np.asarray(skills, np.int64)
        if not self.keys.size:
            return np.zeros(wanted.shape, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, wanted), self.keys.size - 1)
        return np.where(self.keys[pos] == wanted, self.levels[pos], 0)

    def employees(self) -> np.ndarray:
        """Return the employee of every stored level."""
        return self.keys // self.n_skills

    def skills(self) -> np.ndarray:
        """Return the skill of every stored level."""
        return self.keys % self.n_skills


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Return each day ``months`` later, clamped to the end of a shorter month.

    The vectorised :func:`recommender.profile.add_months`; NaT stays NaT.

    >>> add_months(np.array(["2024-01-31", "2023-02-28"], "datetime64[D]"), np.array([1, 12]))
    array(['2024-02-29', '2024-02-28'], dtype='datetime64[D]')
    """
    days = np.asarray(days, "datetime64[D]")
    month = days.astype("datetime64[M]")
    offset = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, np.int64).astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    clamped = np.minimum(offset, length - 1).astype("timedelta64[D]")
    return target.astype("datetime64[D]") + clamped


def last_days(completed_at, expires_at, valid_months) -> np.ndarray:
    """Return the last day each completion counts, NaT when it never expires.

    The vectorised :func:`recommender.profile.expires_on`: an explicit expiry wins; otherwise
    a completion of an item valid for some months counts that long from its day.

    Parameters
    ----------
    completed_at, expires_at : ndarray of datetime64[D], shape (n,)
        NaT where unknown.
    valid_months : ndarray of int, shape (n,)
        0 when the item does not expire.
    """
    completed_at = np.asarray(completed_at, "datetime64[D]")
    expires_at = np.asarray(expires_at, "datetime64[D]")
    valid_months = np.asarray(valid_months, np.int64)
    dated = (valid_months > 0) & ~np.isnat(completed_at)
    by_months = np.full(completed_at.shape, NEVER)
    if dated.any():
        by_months[dated] = add_months(completed_at[dated], valid_months[dated])
    return np.where(np.isnat(expires_at), by_months, expires_at)


def valid_on(last_day: np.ndarray, day: np.datetime64) -> np.ndarray:
    """Tell which completions still count on ``day`` (on or before their last day)."""
    never = np.isnat(last_day)
    return never | (np.where(never, day, last_day) >= day)


def ranges(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expand rows of a CSR structure into their entries.

    Returns
    -------
    owner : ndarray of int64
        For each entry, the position in ``rows`` it came from.
    entries : ndarray of int64
        The entry's index into the CSR ``indices`` and ``data``.
    """
    rows = np.asarray(rows, np.int64)
    starts, counts = indptr[rows], indptr[rows + 1] - indptr[rows]
    owner = np.repeat(np.arange(rows.size, dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    entries = np.repeat(starts, counts) + (np.arange(owner.size, dtype=np.int64) - first[owner])
    return owner, entries.astype(np.int64)


def effective_levels(
    *,
    n_skills: int,
    stated: tuple[np.ndarray, np.ndarray, np.ndarray],
    completions: tuple[np.ndarray, np.ndarray, np.ndarray],
    taught: sparse.csr_matrix,
    as_of: np.datetime64,
) -> LevelTable:
    """Combine stated levels with what completions still valid on ``as_of`` taught.

    The vectorised :func:`recommender.profile.effective_profile`: levels combine by maximum.

    Parameters
    ----------
    n_skills : int
    stated : (employee, skill, level), ndarrays of int, shape (n_stated,)
    completions : (employee, item row, last day), shape (n_completions,)
        Item row -1 for an item the catalog lacks (it teaches nothing); last day NaT when the
        completion never expires.
    taught : csr_matrix, shape (n_items, n_skills)
        Levels each item teaches.
    as_of : datetime64[D]
    """
    employee, item, last_day = completions
    keep = (np.asarray(item) >= 0) & valid_on(np.asarray(last_day, "datetime64[D]"), as_of)
    owner, entries = ranges(taught.indptr, np.asarray(item, np.int64)[keep])
    learnt_by = np.asarray(employee, np.int64)[keep][owner]
    return LevelTable.highest(
        n_skills,
        np.concatenate([np.asarray(stated[0], np.int64), learnt_by]),
        np.concatenate([np.asarray(stated[1], np.int64), taught.indices[entries]]),
        np.concatenate([np.asarray(stated[2], np.int64), taught.data[entries].astype(np.int64)]),
    )
