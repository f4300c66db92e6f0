"""What ranking candidates for a role works out, kept per worker until the evidence moves.

Screening a role reads every employee's evidence for its skills and weighs their gaps; the
hours to ready of the best few each take a plan. Both depend only on the fitted catalog, the
employees' records and the day, so a worker keeps them under the models' catalog version,
the people version (:mod:`catalog.version`, moved in the same transaction as any employee,
level, target or completion write) and the day. The versions are read before the rows, so
rows newer than their key are only ever dropped early, never kept past a write.

A plan is a function of the catalog, the target and the profile alone, so hours to ready are
also kept by ``(catalog version, role, profile)``: when the people version moves, only the
employees whose own levels or completions changed are planned again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from flask import current_app

from catalog.analytics.people import People

#: Roles whose screens a worker keeps under the current versions, least recently used dropped.
MAX_ROLES = 16
#: Hours to ready a worker keeps by profile, least recently used dropped.
MAX_PLANS = 4096
#: Where an app keeps its cache.
EXTENSION = "skillpath.candidate_cache"

Key = tuple[int, int, str]  # catalog version, people version, day
PlanKey = tuple[int, str, frozenset, frozenset]  # catalog version, role, levels, completed


@dataclass
class Screen:
    """Every employee not in a role, ranked for it, and the hours to ready worked out so far.

    Attributes
    ----------
    people : People
        The roster (ids, names, teams, current roles); evidence columns left out.
    employees : ndarray of int64
        Positions in ``people`` of the employees screened, best first (readiness, then id).
    readiness, weighted_gap : ndarray of float64
        By the same order.
    blocked : ndarray of bool
        By the same order: a gap no available item can close.
    hours : dict of str to float or None
        Hours to ready by employee id, for those a request answered with.
    """

    people: People
    employees: np.ndarray
    readiness: np.ndarray
    weighted_gap: np.ndarray
    blocked: np.ndarray
    hours: dict[str, float | None] = field(default_factory=dict)


class CandidateCache:
    """Role screens of the newest versions seen, with a roster shared while it stays the same."""

    def __init__(self) -> None:
        self._key: Key | None = None
        self._screens: OrderedDict[str, Screen] = OrderedDict()
        self._roster: People | None = None
        self._plans: OrderedDict[PlanKey, float | None] = OrderedDict()
        self._lock = threading.Lock()

    def hours(self, key: PlanKey) -> tuple[bool, float | None]:
        """Return whether hours to ready are kept for ``key``, and those hours."""
        with self._lock:
            if key not in self._plans:
                return False, None
            self._plans.move_to_end(key)
            return True, self._plans[key]

    def keep_hours(self, key: PlanKey, hours: float | None) -> None:
        """Keep hours to ready of a profile; forget those of older catalog versions."""
        with self._lock:
            if self._plans and next(iter(self._plans))[0] != key[0]:
                self._plans = OrderedDict((k, v) for k, v in self._plans.items() if k[0] == key[0])
            self._plans[key] = hours
            while len(self._plans) > MAX_PLANS:
                self._plans.popitem(last=False)

    def get(self, key: Key, role: str) -> Screen | None:
        """Return the screen of ``role`` kept under ``key``, or None."""
        with self._lock:
            if key != self._key or role not in self._screens:
                return None
            self._screens.move_to_end(role)
            return self._screens[role]

    def put(self, key: Key, role: str, screen: Screen) -> Screen:
        """Keep a screen worked out under ``key``; forget those of other keys."""
        with self._lock:
            if key != self._key:
                self._key, self._screens, self._roster = key, OrderedDict(), None
            if self._roster is not None and _same_roster(self._roster, screen.people):
                screen.people = self._roster
            else:
                self._roster = screen.people
            self._screens[role] = screen
            while len(self._screens) > MAX_ROLES:
                self._screens.popitem(last=False)
            return screen


def _same_roster(kept: People, fresh: People) -> bool:
    return (
        kept.ids == fresh.ids
        and kept.names == fresh.names
        and kept.teams == fresh.teams
        and kept.current_roles == fresh.current_roles
    )


def candidate_cache() -> CandidateCache:
    """Return the current app's candidate cache (one per app, so per worker process)."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(EXTENSION, CandidateCache())
    return cache
