"""Server-drawn charts: bars and lines are plain functions of the figures they show."""

from __future__ import annotations

import pytest

from recommender.gap import Gap, GapReport
from service.console.charts import LINE_HEIGHT, gap_bars, line_chart, timeline


def _step(position: int, start: str, end: str, done: bool = False) -> dict:
    return {
        "position": position,
        "item": {"title": f"step {position}"},
        "start_date": start,
        "end_date": end,
        "status": "completed" if done else "pending",
    }


def test_timeline_lays_steps_on_one_axis_with_inclusive_ends():
    bars, height, first, last = timeline(
        [_step(1, "2027-01-01", "2027-01-10", done=True), _step(2, "2027-01-11", "2027-01-20")]
    )
    assert (first, last) == ("2027-01-01", "2027-01-20")
    assert [(b.x, b.width, b.done) for b in bars] == [(0.0, 50.0, True), (50.0, 50.0, False)]
    assert height == 2 * (bars[1].y - bars[0].y)


def test_timeline_of_no_steps_is_empty():
    assert timeline([])[0] == []


def test_gap_bars_put_open_gaps_first_and_count_what_is_missing():
    report = GapReport(
        readiness=0.5,
        weighted_gap=2.0,
        total_weight=4.0,
        gaps=[Gap("aws", 1, 3, 1.0)],
        met=[Gap("linux", 3, 2, 0.5)],
    )
    bars, height = gap_bars(report)
    assert [(b.skill, b.missing) for b in bars] == [("aws", 2), ("linux", 0)]
    assert height > bars[-1].y


@pytest.mark.parametrize(
    ("values", "xs"),
    [([1.0, None, 3.0], [0.0, 100.0]), ([None, None], []), ([2.0], [50.0])],
)
def test_line_chart_leaves_out_periods_without_a_value(values, xs):
    labels = [f"p{n}" for n in range(len(values))]
    chart = line_chart(labels, values)
    assert [x for x, _, _, _ in chart.dots] == xs
    for _, y, _, _ in chart.dots:
        assert 0 <= y <= LINE_HEIGHT
    if values == [1.0, None, 3.0]:
        assert chart.top == 3.0 and chart.dots[1][1] < chart.dots[0][1]  # higher value, higher dot
