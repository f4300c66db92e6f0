"""Dominance among items: drop those another item beats on every count.

Both the candidate pool (:func:`recommender.planner.candidates._undominated`) and the bound
over the whole catalog (:func:`recommender.planner.bound.undominated_gainers`) describe each
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
    kept = np.zeros(n, dtype=bool)
    if n <= 1:
        kept[:] = True
        return kept
    # Equal features: sorted by hours then cost, an item is dominated when an earlier item of
    # its group costs no more. Ranks keep the running minimum exact, and shifting each group's
    # ranks below every earlier group's makes one running minimum restart at each group.
    group = np.unique(features, axis=0, return_inverse=True)[1].ravel().astype(np.int64)
    cost_rank = np.unique(cost, return_inverse=True)[1].ravel().astype(np.int64)
    order = np.lexsort((rows, cost_rank, hours, group))
    shifted = cost_rank[order] - group[order] * (n + 1)
    best_before = np.r_[np.iinfo(np.int64).max, np.minimum.accumulate(shifted)[:-1]]
    front = np.sort(order[shifted < best_before])
    # Across groups, pairwise among the items left.
    table = np.hstack([features[front], -hours[front, None], -cost[front, None]])
    front_rows = rows[front]
    dominated = np.zeros(front.size, dtype=bool)
    block = max(1, _BLOCK_CELLS // max(1, front.size * table.shape[1]))
    for start in range(0, front.size, block):
        part = table[start : start + block]
        no_worse = (part[:, None, :] >= table[None, :, :]).all(axis=2)
        same = (part[:, None, :] == table[None, :, :]).all(axis=2)
        beats = no_worse & (~same | (front_rows[start : start + block, None] < front_rows))
        k = np.arange(part.shape[0])
        beats[k, start + k] = False
        dominated |= beats.any(axis=0)
    kept[front[~dominated]] = True
    return kept
