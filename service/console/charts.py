"""Charts drawn on the server as SVG geometry: no chart script runs in the browser.

Each function returns the numbers a template lays out (positions in a 0-100 or 0-5 space the
SVG's viewBox scales), so the picture is a plain function of the data and testable as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.gap import GapReport

MAX_LEVEL = 5
BAR_HEIGHT = 18
ROW_GAP = 8


@dataclass(frozen=True)
class GapBar:
    """One competency as a bar: current level filled, the rest up to the required level open."""

    skill: str
    current: int
    required: int
    weight: float
    y: int

    @property
    def missing(self) -> int:
        """Levels still to learn."""
        return max(0, self.required - self.current)


def gap_bars(report: GapReport) -> tuple[list[GapBar], int]:
    """Return a bar per competency (open gaps first) and the chart's height."""
    rows = [*report.gaps, *report.met]
    bars = [
        GapBar(g.skill, g.current, g.required, round(g.weight, 2), n * (BAR_HEIGHT + ROW_GAP))
        for n, g in enumerate(rows)
    ]
    return bars, max(1, len(bars)) * (BAR_HEIGHT + ROW_GAP)


@dataclass(frozen=True)
class TimelineBar:
    """A plan step on the calendar: where its bar starts and how wide it is, in percent."""

    position: int
    title: str
    start: str
    end: str
    x: float
    width: float
    y: int
    done: bool


def timeline(steps: Sequence[Mapping[str, Any]]) -> tuple[list[TimelineBar], int, str, str]:
    """Lay a plan's steps on one time axis; return the bars, the height and the axis ends."""
    if not steps:
        return [], BAR_HEIGHT, "", ""
    starts = [dt.date.fromisoformat(s["start_date"]) for s in steps]
    ends = [dt.date.fromisoformat(s["end_date"]) for s in steps]
    first, last = min(starts), max(ends)
    span = max(1, (last - first).days + 1)  # end dates are inclusive
    bars = []
    for n, (step, start, end) in enumerate(zip(steps, starts, ends, strict=True)):
        x = (start - first).days / span * 100
        width = max(0.8, ((end - start).days + 1) / span * 100)
        bars.append(
            TimelineBar(
                position=step["position"],
                title=step["item"]["title"],
                start=step["start_date"],
                end=step["end_date"],
                x=round(x, 2),
                width=round(min(width, 100 - x), 2),
                y=n * (BAR_HEIGHT + ROW_GAP),
                done=step.get("status") == "completed",
            )
        )
    return bars, len(bars) * (BAR_HEIGHT + ROW_GAP), first.isoformat(), last.isoformat()
