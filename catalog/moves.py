"""Internal moves: every change of an employee's current role, recorded with the write.

A profile write that changes ``current_role`` records ``(from, to, at)`` in its own
transaction, and whether the new role was among the employee's target roles before the
write: that is an internal move as workforce KPIs count it. ``at`` is history's clock, so
moves and skill events read on one time line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from catalog import history
from catalog.models import RoleChange

# Employee id -> (state before the write, or None for a new employee; state after).
States = Mapping[str, tuple[Mapping[str, Any] | None, Mapping[str, Any]]]


def record_role_changes(*, session: Session, changes: States, at: dt.datetime | None = None) -> int:
    """Record the current-role changes of a batch of profile writes; return how many.

    A new employee's first role is where they start, not a move, so it is not recorded.
    """
    at = at or history.now()
    rows = [
        {
            "employee_id": ident,
            "from_role": before["current_role"],
            "to_role": after["current_role"],
            "targeted": after["current_role"] in (before.get("target_roles") or ()),
            "at": at,
        }
        for ident, (before, after) in sorted(changes.items())
        if before is not None and before.get("current_role") != after.get("current_role")
    ]
    if rows:
        session.execute(insert(RoleChange), rows)
    return len(rows)
