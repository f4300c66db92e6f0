"""The benchmarks' paired timing: the kinds of request take turns, each keeps its own times."""

from __future__ import annotations

import time

import numpy as np

from benchmarks import bench_recommender, http_load


def test_interleaved_rotates_the_order_and_times_each_function_apart():
    calls = []
    fns = [lambda k, name=name: calls.append((k, name)) for name in "abc"]
    result = bench_recommender.interleaved(fns, 3)
    assert calls == [
        (0, "a"), (0, "b"), (0, "c"),
        (1, "b"), (1, "c"), (1, "a"),
        (2, "c"), (2, "a"), (2, "b"),
    ]  # fmt: skip
    assert len(result) == 3 and all(p50 <= p95 for p50, p95 in result)


def test_cpu_time_leaves_out_waiting():
    """A call that waits takes wall-clock time but almost no CPU time; one that works, both."""

    def wait(k):
        time.sleep(0.02)

    def work(k):
        start = time.process_time()
        while time.process_time() - start < 0.02:
            pass

    wall, cpu = bench_recommender.in_turns([wait, work], 3)
    assert (wall[0] >= 20).all() and (cpu[0] < 5).all()
    assert (cpu[1] >= 20).all() and (wall[1] >= cpu[1] - 1).all()


def test_in_turns_alternates_which_kind_goes_first():
    calls = []
    first, second = in_turns_pair(calls)
    a, b = http_load.in_turns(first, second, 4)
    assert [name for _, name in calls] == ["b", "a", "a", "b", "b", "a", "a", "b"]
    np.testing.assert_array_equal(a, [1.0, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(b, [2.0, 2.0, 2.0, 2.0])


def test_a_ratio_is_of_the_medians():
    ratio = http_load.Ratio("x", np.array([1.0, 3.0, 100.0]), np.array([1.0, 1.5, 2.0]), 2.0)
    assert ratio.value == 2.0


def in_turns_pair(calls):
    """Return two timed functions that record their calls and take 1 and 2 seconds."""

    def first(k):
        calls.append((k, "a"))
        return 1.0

    def second(k):
        calls.append((k, "b"))
        return 2.0

    return first, second
