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


# A sequential scale from ColorBrewer's YlGnBu, which readers with any common colour-vision
# deficiency still see in order (it varies in lightness, not only in hue); cells print their
# number too, so the colour is never the only cue.
GAP_COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")


@dataclass(frozen=True)
class LineChart:
    """A series as a polyline in a 100 x ``HEIGHT`` box, with its highest value for the axis."""

    points: str
    dots: list[tuple[float, float, str, str]]  # x, y, period label, value label
    top: float


LINE_HEIGHT = 40


def line_chart(labels: Sequence[str], values: Sequence[float | None]) -> LineChart:
    """Lay a time series on a line; periods without a value are left out, not drawn as 0."""
    known = [v for v in values if v is not None]
    top = max(known, default=0.0) or 1.0
    step = 100 / max(1, len(values) - 1)
    dots = []
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        if value is None:
            continue
        x = round(n * step if len(values) > 1 else 50, 2)
        y = round(LINE_HEIGHT - value / top * (LINE_HEIGHT - 4) - 2, 2)
        dots.append((x, y, label, f"{value:g}"))
    points = " ".join(f"{x},{y}" for x, y, _, _ in dots)
    return LineChart(points=points, dots=dots, top=round(top, 4))
