"""The catalog as sparse matrices: skills are columns, items are rows."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from recommender.columns import RowLookup, TextColumn
from recommender.params import check_fitted
from recommender.types import MAX_LEVEL, CatalogItem, SkillRecord


def _level_matrix(rows, cols, levels, shape) -> sparse.csr_matrix:
    """Build a canonical CSR matrix keeping the highest level of duplicate (row, col) pairs."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    levels = np.asarray(levels, dtype=np.float32)
    keep = levels > 0
    rows, cols, levels = rows[keep], cols[keep], levels[keep]
    order = np.lexsort((-levels, cols, rows))
    rows, cols, levels = rows[order], cols[order], levels[order]
    first = np.ones(rows.size, dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, levels = rows[first], cols[first], levels[first]
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    matrix = sparse.csr_matrix((levels, cols, indptr), shape=shape)
    matrix.has_sorted_indices = True
    return matrix


def _encode(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Encode strings as small integer codes over their sorted vocabulary."""
    vocabulary, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return vocabulary, codes.astype(np.int32)


def _flatten(per_item: list[tuple]) -> tuple[np.ndarray, list]:
    """Flatten per-item tuples into the row number and the value of each entry."""
    counts = np.fromiter(map(len, per_item), dtype=np.int64, count=len(per_item))
    rows = np.repeat(np.arange(len(per_item), dtype=np.int64), counts)
    return rows, list(chain.from_iterable(per_item))


def _flatten_levels(per_item: list[tuple[tuple[str, int], ...]]):
    """Flatten per-item ``(skill, level)`` pairs into rows, skill ids and levels."""
    rows, pairs = _flatten(per_item)
    skills = [pair[0] for pair in pairs]
    levels = np.fromiter((pair[1] for pair in pairs), np.int64, len(pairs))
    return rows, skills, levels


class CatalogIndex(BaseEstimator):
    """Skills <-> columns and the catalog as sparse level matrices plus item metadata arrays.

    Items are stored sorted by id, so row order is id order and every tie broken by row
    number is broken by item id.

    Attributes
    ----------
    skill_ids_ : ndarray of str, shape (n_skills,)
        Taxonomy skill ids in the given order, then skills referenced only by items, sorted.
    skill_index_ : dict of str to int
        Column of each skill id.
    item_ids_ : ndarray of str (fixed width), shape (n_items,)
        Item ids, sorted.
    item_index_ : RowLookup
        Row of each item id, read like a dict.
    taught_ : csr_matrix of float32, shape (n_items, n_skills)
        ``T[i, s]``: level of skill ``s`` reached on completing item ``i``.
    taught_csc_ : csc_matrix of float32, shape (n_items, n_skills)
        The same matrix by column, for "who teaches skill s" lookups.
    prereq_ : csr_matrix of float32, shape (n_items, n_skills)
        ``P[i, s]``: level of skill ``s`` needed before starting item ``i``.
    requires_ : csr_matrix of bool, shape (n_items, n_items)
        ``R[i, j]`` is True when item ``i`` lists item ``j`` in ``requires_items``.
    requires_missing_ : dict of int to tuple of str
        Required item ids that are not in the catalog, by row; such an item is only
        available to someone who completed all of them.
    hours_, cost_ : ndarray of float64, shape (n_items,)
        Duration in hours and cost.
    active_ : ndarray of bool, shape (n_items,)
        False for retired items.
    valid_months_ : ndarray of int32, shape (n_items,)
        Months a completion stays valid; 0 when it does not expire.
    kind_, modality_, language_, currency_ : ndarray of int32, shape (n_items,)
        Codes into ``kinds_``, ``modalities_``, ``languages_``, ``currencies_``.
    kinds_, modalities_, languages_, currencies_ : ndarray of str
        Sorted vocabularies of the encoded columns.
    item_texts_ : TextColumn, length n_items
        Title and description of each item, for free-text goal matching.

    Examples
    --------
    >>> from recommender.types import CatalogItem
    >>> index = CatalogIndex().fit(
    ...     ["aws"], [CatalogItem("c1", "AWS", "course", "self_paced", 10.0, skills=(("aws", 3),))]
    ... )
    >>> index.taught_.toarray()
    array([[3.]], dtype=float32)
    """

    def __init__(self):
        pass

    def fit(self, skills: Sequence[str] | Sequence[SkillRecord], items: Sequence[CatalogItem]):
        """Index the taxonomy and the catalog.

        Parameters
        ----------
        skills : sequence of str or SkillRecord, length n_taxonomy
            The taxonomy; skills that items reference but the taxonomy lacks get columns too.
        items : sequence of CatalogItem, length n_items
            The catalog snapshot, retired items included.

        Returns
        -------
        self : CatalogIndex
            The fitted index.
        """
        taxonomy = [s.id if isinstance(s, SkillRecord) else str(s) for s in skills]
        if len(set(taxonomy)) != len(taxonomy):
            raise ValueError("duplicate skill ids in the taxonomy")
        items = sorted(items, key=lambda item: item.id)
        item_ids = [item.id for item in items]
        if any(a == b for a, b in zip(item_ids, item_ids[1:], strict=False)):
            raise ValueError("duplicate item ids in the catalog")
        if any(i.endswith("\0") for i in item_ids):
            # A fixed-width numpy string drops trailing NULs, so such an id would not be found.
            raise ValueError("item ids must not end with a NUL character")
        n_items = len(items)

        t_rows, t_skills, t_levels = _flatten_levels([item.skills for item in items])
        p_rows, p_skills, p_levels = _flatten_levels([item.prerequisites for item in items])
        known = set(taxonomy)
        extra = sorted({*t_skills, *p_skills} - known)
        skill_ids = taxonomy + extra
        skill_index = {skill: col for col, skill in enumerate(skill_ids)}
        shape = (n_items, len(skill_ids))

        levels = np.concatenate([t_levels, p_levels])
        if levels.size and (levels.min() < 0 or levels.max() > MAX_LEVEL):
            raise ValueError(f"skill levels must be between 0 and {MAX_LEVEL}")
        t_cols = np.fromiter(map(skill_index.__getitem__, t_skills), np.int64, len(t_skills))
        p_cols = np.fromiter(map(skill_index.__getitem__, p_skills), np.int64, len(p_skills))

        hours = np.fromiter((item.duration_hours for item in items), np.float64, n_items)
        cost = np.fromiter((item.cost for item in items), np.float64, n_items)
        if n_items and not (hours > 0).all():
            raise ValueError("duration_hours must be > 0")
        if n_items and not (cost >= 0).all():
            raise ValueError("cost must be >= 0")

        self.skill_ids_ = np.asarray(skill_ids, dtype=object)
        self.skill_index_ = skill_index
        self.item_ids_ = np.array(item_ids, dtype=str) if item_ids else np.array([], dtype="U1")
        self.item_index_ = RowLookup(self.item_ids_)
        self.taught_ = _level_matrix(t_rows, t_cols, t_levels, shape)
        self.taught_csc_ = self.taught_.tocsc()
        self.taught_csc_.sort_indices()
        self.prereq_ = _level_matrix(p_rows, p_cols, p_levels, shape)
        self._fit_requires([item.requires_items for item in items])
        self.hours_ = hours
        self.cost_ = cost
        self.active_ = np.fromiter((bool(item.active) for item in items), bool, n_items)
        self.valid_months_ = np.fromiter(
            (item.valid_months or 0 for item in items), np.int32, n_items
        )
        self.kinds_, self.kind_ = _encode([item.kind for item in items])
        self.modalities_, self.modality_ = _encode([item.modality for item in items])
        self.languages_, self.language_ = _encode([item.language for item in items])
        self.currencies_, self.currency_ = _encode([item.currency for item in items])
        self.item_texts_ = TextColumn(f"{item.title} {item.description}".strip() for item in items)
        return self

    def _fit_requires(self, requires_per_item: list[tuple[str, ...]]) -> None:
        """Index item-to-item requirements, keeping ids the catalog does not hold apart."""
        rows, required = _flatten(requires_per_item)
        cols = self.item_index_.rows(required)
        known = cols >= 0
        n_items = len(requires_per_item)
        self.requires_ = sparse.csr_matrix(
            (np.ones(int(known.sum()), dtype=bool), (rows[known], cols[known])),
            shape=(n_items, n_items),
        )
        self.requires_.sum_duplicates()
        missing: dict[int, tuple[str, ...]] = {}
        for row, item_id in zip(rows[~known].tolist(), np.asarray(required)[~known], strict=True):
            missing[row] = (*missing.get(row, ()), str(item_id))
        self.requires_missing_ = missing

    @property
    def n_items(self) -> int:
        """Number of items (rows), retired ones included."""
        check_fitted(self, "requires_missing_")
        return len(self.item_ids_)

    @property
    def n_skills(self) -> int:
        """Number of skills (columns)."""
        check_fitted(self, "requires_missing_")
        return len(self.skill_ids_)

    def rows_of(self, item_ids) -> np.ndarray:
        """Return the rows of the given item ids, skipping ids the catalog does not hold.

        Returns
        -------
        rows : ndarray of int64, shape (n_known,)
            Sorted, unique rows.
        """
        check_fitted(self, "requires_missing_")
        rows = self.item_index_.rows(item_ids)
        return np.unique(rows[rows >= 0])

    def codes_of(self, vocabulary: np.ndarray, values) -> np.ndarray:
        """Return the codes of ``values`` in a fitted vocabulary, dropping unknown values.

        Returns
        -------
        codes : ndarray of int64, shape (n_known,)
        """
        check_fitted(self, "requires_missing_")
        values = np.asarray(sorted(values), dtype=object).astype(str)
        pos = np.searchsorted(vocabulary, values)
        pos = np.minimum(pos, max(len(vocabulary) - 1, 0))
        hit = (vocabulary[pos] == values) if len(vocabulary) else np.zeros(len(values), bool)
        return pos[hit].astype(np.int64)

    def level_vector(self, levels) -> np.ndarray:
        """Return a dense vector of skill levels over the columns from a skill -> level mapping.

        Returns
        -------
        vector : ndarray of int8, shape (n_skills,)
            Skills outside the index are left out.
        """
        check_fitted(self, "requires_missing_")
        vector = np.zeros(len(self.skill_ids_), dtype=np.int8)
        for skill, level in levels.items():
            col = self.skill_index_.get(skill)
            if col is not None:
                vector[col] = max(int(vector[col]), int(level))
        return vector

    def taught_levels(self, row: int) -> list[tuple[str, int]]:
        """Return ``(skill, level)`` pairs taught by one item, by column."""
        return self._row_pairs(self.taught_, row)

    def prerequisites(self, row: int) -> list[tuple[str, int]]:
        """Return ``(skill, level)`` prerequisite pairs of one item, by column."""
        return self._row_pairs(self.prereq_, row)

    def required_rows(self, row: int) -> np.ndarray:
        """Return the rows of the items that one item lists in ``requires_items``."""
        start, end = self.requires_.indptr[row], self.requires_.indptr[row + 1]
        return self.requires_.indices[start:end]

    def _row_pairs(self, matrix, row: int) -> list[tuple[str, int]]:
        """Return the nonzero ``(skill, level)`` pairs of one matrix row."""
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        cols = matrix.indices[start:end]
        return [
            (self.skill_ids_[c], int(v))
            for c, v in zip(cols.tolist(), matrix.data[start:end].tolist(), strict=True)
        ]


def gather(matrix: sparse.csc_matrix | sparse.csr_matrix, cols: np.ndarray):
    """Return the nonzeros of some columns of a CSC matrix (rows of a CSR one), unsliced.

    Parameters
    ----------
    matrix : csc_matrix or csr_matrix
    cols : ndarray of int, shape (k,)
        Columns (CSC) or rows (CSR) to read.

    Returns
    -------
    rows : ndarray of int32, shape (nnz,)
        Row (CSC) or column (CSR) of each nonzero.
    which : ndarray of int64, shape (nnz,)
        Position in ``cols`` of each nonzero's column (CSC) or row (CSR).
    values : ndarray, shape (nnz,)
        The nonzero values.
    """
    cols = np.asarray(cols, dtype=np.int64)
    starts = matrix.indptr[cols]
    counts = matrix.indptr[cols + 1] - starts
    which = np.repeat(np.arange(len(cols), dtype=np.int64), counts)
    offsets = np.arange(int(counts.sum()), dtype=np.int64)
    offsets -= np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.repeat(starts, counts) + offsets
    return matrix.indices[positions], which, matrix.data[positions]
