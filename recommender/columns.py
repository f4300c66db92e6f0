"""Columns of strings kept in a few numpy arrays instead of one Python object per value.

A hundred thousand small ``str`` objects cost about 60 bytes each beyond their text, live on
the worker's own heap, and leave it fragmented when a rebuild frees them. Arrays hold the
same text in one block each, which a fitted index can save to a file and map from it, shared
between processes and paged in only where read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np


class TextColumn:
    """Strings (or None) stored as their UTF-8 bytes end to end, with each one's offsets.

    Parameters
    ----------
    values : iterable of str or None

    Attributes
    ----------
    data : ndarray of uint8, shape (total_bytes,)
    offsets : ndarray of int64, shape (n + 1,)
        Value ``i`` is ``data[offsets[i]:offsets[i + 1]]``.
    missing : ndarray of bool, shape (n,)
        True where the value is None.

    Examples
    --------
    >>> column = TextColumn(["Café", None, ""])
    >>> column[0], column[1], column[2], len(column)
    ('Café', None, '', 3)
    """

    __slots__ = ("data", "offsets", "missing")

    def __init__(self, values: Iterable[str | None]):
        values = list(values)
        encoded = [b"" if v is None else v.encode() for v in values]
        self.missing = np.fromiter((v is None for v in values), bool, len(values))
        self.offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=self.offsets[1:])
        self.data = np.frombuffer(b"".join(encoded), dtype=np.uint8)

    def __getitem__(self, i: int) -> str | None:
        i = int(i)
        if self.missing[i]:
            return None
        return self.data[self.offsets[i] : self.offsets[i + 1]].tobytes().decode()

    def __len__(self) -> int:
        return len(self.missing)

    def __iter__(self) -> Iterator[str | None]:
        return (self[i] for i in range(len(self)))

    def __getstate__(self):
        return self.data, self.offsets, self.missing

    def __setstate__(self, state) -> None:
        self.data, self.offsets, self.missing = state


class RowLookup(Mapping[str, int]):
    """The row of each value of a sorted array of distinct strings, found by binary search.

    Answers as the ``{value: row}`` dict would, without holding one: lookups cost a
    ``searchsorted`` over the array instead of a hash.

    Examples
    --------
    >>> rows = RowLookup(np.array(["a", "b", "d"]))
    >>> rows["d"], rows.get("c"), "b" in rows, list(rows)
    (2, None, True, ['a', 'b', 'd'])
    """

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray):
        self.values = values

    def __getitem__(self, key: str) -> int:
        row = self._find(key)
        if row < 0:
            raise KeyError(key)
        return row

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def get(self, key, default=None):
        """Return the row of ``key``, or ``default`` when the array does not hold it."""
        row = self._find(key) if isinstance(key, str) else -1
        return default if row < 0 else row

    def rows(self, keys: Iterable[str]) -> np.ndarray:
        """Return the row of each key, -1 where the array does not hold it.

        Returns
        -------
        rows : ndarray of int64, shape (n_keys,)
        """
        keys = np.asarray(list(keys), dtype=str)
        if not len(self.values) or not keys.size:
            return np.full(keys.size, -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.values, keys), len(self.values) - 1)
        return np.where(self.values[pos] == keys, pos, -1).astype(np.int64)

    def _find(self, key: str) -> int:
        values = self.values
        pos = int(np.searchsorted(values, key))
        return pos if pos < len(values) and values[pos] == key else -1

    def __iter__(self) -> Iterator[str]:
        return (str(v) for v in self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __getstate__(self):
        return self.values

    def __setstate__(self, state) -> None:
        self.values = state
