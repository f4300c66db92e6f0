"""Dominance among items: drop those another item beats on every count.

Both the candidate pool (:func:`recommender.planner.candidates._undominated`) and the bound
over the whole catalog (:func:`recommender.planner.bound.first_round`) describe each
item by features where more is better (levels reached, minus levels needed, ...) plus its
hours and cost, where less is. Item ``i`` dominates ``j`` when it is no worse on every count
and strictly better somewhere or has the smaller row; that relation is a strict partial
order, so every dominated item is dominated by one that is not, and dropping dominated items
in two passes (within groups of equal features first, then pairwise) drops the same ones as
comparing every pair.
"""

from __future__ import annotations

import numpy as np

# Pairwise dominance compares blocks of this many cells at most (a few megabytes).
_BLOCK_CELLS = 2**22
# Up to this many cells, every pair is compared in one table (see :func:`_every_pair`).
_SMALL_CELLS = 2**17


def undominated(
    features: np.ndarray, hours: np.ndarray, cost: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Return which items no other item dominates.

    Parameters
    ----------
    features : ndarray of float64, shape (n, f)
        More is better on every column.
    hours, cost : ndarray of float64, shape (n,)
        Less is better.
    rows : ndarray of int64, shape (n,)
        Distinct item rows: among items equal on every count the smallest row is kept.

    Returns
    -------
    kept : ndarray of bool, shape (n,)
    """
    n = rows.size
    if n <= 1:
        return np.ones(n, dtype=bool)
    if n * n * (features.shape[1] + 2) <= _SMALL_CELLS:
        return _every_pair(features, hours, cost, rows)
    kept = np.zeros(n, dtype=bool)
    # Equal features: sorted by hours then cost, an item is dominated when an earlier item of
    # its group costs no more. Ranks keep the running minimum exact, and shifting each group's
    # ranks below every earlier group's makes one running minimum restart at each group.
    group = _row_groups(features)
    cost_rank = np.unique(cost, return_inverse=True)[1].ravel().astype(np.int64)
    order = np.lexsort((rows, cost_rank, hours, group))
    shifted = cost_rank[order] - group[order] * (n + 1)
    best_before = np.r_[np.iinfo(np.int64).max, np.minimum.accumulate(shifted)[:-1]]
    front = np.sort(order[shifted < best_before])
    # Across groups, pairwise among the items left; but only against possible dominators.
    dominated = _dominated(features[front], hours[front], cost[front], rows[front])
    kept[front[~dominated]] = True
    return kept


def _every_pair(
    features: np.ndarray, hours: np.ndarray, cost: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Return which items no other item dominates, from one table of every pair.

    A learning path's candidates are a few dozen items: one comparison of every pair costs
    less than the grouping and batching that keep :func:`undominated` fast on thousands.
    """
    table = np.vstack([features.T, -hours[None, :], -cost[None, :]])
    no_worse = (table[:, :, None] >= table[:, None, :]).all(axis=0)  # [i, j]: i vs j
    equal = no_worse & no_worse.T
    beats = no_worse & (~equal | (rows[:, None] < rows[None, :]))
    np.fill_diagonal(beats, False)
    return ~beats.any(axis=0)


def _row_groups(features: np.ndarray) -> np.ndarray:
    """Number the distinct rows of ``features`` in sorted order, one label per row.

    Levels and needs are small integers: packed four bits a column into a few 64-bit words,
    the rows sort as a handful of integer keys, much faster than ``np.unique`` over rows.
    Other features fall back to ``np.unique``.
    """
    n, f = features.shape
    small = f and features.min() >= -8 and features.max() <= 7
    digits = (features + 8).astype(np.uint64) if small else None
    if not small or not np.array_equal(digits, features + 8):
        return np.unique(features, axis=0, return_inverse=True)[1].ravel().astype(np.int64)
    words = [
        (digits[:, k : k + 16] << (np.arange(min(16, f - k), dtype=np.uint64) * 4)).sum(
            axis=1, dtype=np.uint64
        )
        for k in range(0, f, 16)
    ]
    order = np.lexsort(words[::-1])
    changed = np.zeros(n, dtype=bool)
    for word in words:
        w = word[order]
        changed[1:] |= w[1:] != w[:-1]
    group = np.empty(n, dtype=np.int64)
    group[order] = np.cumsum(changed)
    return group


def _dominated(
    features: np.ndarray, hours: np.ndarray, cost: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Return which items another item dominates, comparing each with its possible dominators.

    An item above a column's minimum is dominated only by items above it too; each item is
    compared with those of its rarest such column (items teach a few skills, so those are
    few), and items above no minimum with every item. No two items here are equal on every
    count (:func:`undominated` kept one of each such set), so an item no worse than
    another is strictly better somewhere.
    """
    n = rows.size
    # One column per count, items along the rows: the comparison reduces over the first axis.
    # Only the order within a count matters, so hours and cost become their ranks, and the
    # table small integers when the features are: comparisons then read a quarter as much.
    table = np.vstack([features.T, -_ranks(hours)[None, :], -_ranks(cost)[None, :]])
    narrow = table.astype(np.int16)
    if np.array_equal(narrow, table):
        table = narrow
    above = features > features.min(axis=0)
    has = above.any(axis=1)
    pick = np.zeros(n, dtype=np.int64)
    if features.shape[1]:
        pick = np.where(above, above.sum(axis=0), n + 1).argmin(axis=1)
    dominated = np.zeros(n, dtype=bool)
    everyone = np.arange(n)
    batches = [
        (np.flatnonzero(above[:, c]), np.flatnonzero(has & (pick == c)))
        for c in np.unique(pick[has]).tolist()
    ]
    batches.append((everyone, np.flatnonzero(~has)))
    for rivals, items in batches:
        if not items.size:
            continue
        a = table[:, rivals][:, :, None]
        block = max(1, _BLOCK_CELLS // max(1, rivals.size * table.shape[0]))
        for start in range(0, items.size, block):
            part = items[start : start + block]
            beats = (a >= table[:, part][:, None, :]).all(axis=0)
            beats &= rivals[:, None] != part[None, :]
            dominated[part] |= beats.any(axis=0)
    return dominated


def _ranks(values: np.ndarray) -> np.ndarray:
    """Return each value's rank among the distinct values, 0 for the least."""
    return np.unique(values, return_inverse=True)[1].ravel().astype(np.float64)
