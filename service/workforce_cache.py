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

#: Screens (of a role, for a team or all) a worker keeps, least recently used dropped.
MAX_SCREENS = 32
#: Hours to ready a worker keeps by profile, least recently used dropped.
MAX_PLANS = 4096
#: Where an app keeps its cache.
EXTENSION = "skillpath.candidate_cache"

Key = tuple[int, int, str]  # catalog version, people version, day
PlanKey = tuple[int, str, frozenset, frozenset]  # catalog version, role, levels, completed


@dataclass
class Screen:
    """Every employee not in a role (of a team, or all), ranked for it, with what the
    requests answered with so far.

    Attributes
    ----------
    ids : list of str
        The employees screened, best first (readiness, then id).
    readiness, weighted_gap : ndarray of float64
        By the same order.
    blocked : ndarray of bool
        By the same order: a gap no available item can close.
    details : dict of str to tuple
        ``(display name, team, current role)`` by employee id, of those answered with.
    hours : dict of str to float or None
        Hours to ready by employee id, of those answered with.
    """

    ids: list[str]
    readiness: np.ndarray
    weighted_gap: np.ndarray
    blocked: np.ndarray
    details: dict[str, tuple] = field(default_factory=dict)
    hours: dict[str, float | None] = field(default_factory=dict)


class CandidateCache:
    """Screens by role and team under the newest versions seen, and hours by profile."""

    def __init__(self) -> None:
        self._key: Key | None = None
        self._screens: OrderedDict[tuple[str, str | None], Screen] = OrderedDict()
        self._plans: OrderedDict[PlanKey, float | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key, which: tuple[str, str | None]) -> Screen | None:
        """Return the screen of ``(role, team)`` kept under ``key``, or None."""
        with self._lock:
            if key != self._key or which not in self._screens:
                return None
            self._screens.move_to_end(which)
            return self._screens[which]

    def put(self, key: Key, which: tuple[str, str | None], screen: Screen) -> Screen:
        """Keep the screen of ``(role, team)`` worked out under ``key``; forget other keys'."""
        with self._lock:
            if key != self._key:
                self._key, self._screens = key, OrderedDict()
            self._screens[which] = screen
            while len(self._screens) > MAX_SCREENS:
                self._screens.popitem(last=False)
            return screen

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


def candidate_cache() -> CandidateCache:
    """Return the current app's candidate cache (one per app, so per worker process)."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(EXTENSION, CandidateCache())
    return cache
