"""Embeddings kept on disk: one SQLite file per model, shared by a server's workers and restarts.

Each worker fits its own resolver, and a large taxonomy takes minutes of CPU to encode (about
3 ms per name or description). With a store, the first process to encode a text writes its
embedding, and every later fit, in that worker, another one or after a restart, reads it
back. It is only a cache: a store that cannot be read or written (a read-only folder, a
locked or damaged file) is skipped, and the texts are encoded as if it were not there.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

#: Seconds a writer waits for another process's transaction before giving up on the store.
BUSY_TIMEOUT = 10.0
#: Keys per ``SELECT ... IN`` (SQLite's default limit on parameters is 999 on old builds).
CHUNK = 500

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class EmbeddingStore:
    """Embeddings of one model by text, in ``directory/<model>.sqlite3``.

    Parameters
    ----------
    directory : Path
        Created if missing.
    model : str
        The encoder's name: embeddings of another model go to another file.
    dimension : int
        Length of each embedding; rows of another length are ignored.
    """

    def __init__(self, directory: Path, model: str, dimension: int):
        self.path = Path(directory) / f"{_UNSAFE.sub('-', model).strip('-') or 'model'}.sqlite3"
        self.dimension = dimension

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the stored embeddings of those ``texts`` that have one."""
        if not texts or not self.path.exists():
            return {}
        keys = {_key(text): text for text in texts}
        found: dict[str, np.ndarray] = {}
        try:
            with closing(self._connect()) as connection:
                digests = list(keys)
                for start in range(0, len(digests), CHUNK):
                    chunk = digests[start : start + CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = connection.execute(
                        f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk
                    )
                    for digest, blob in rows:
                        vector = np.frombuffer(blob, dtype=np.float32)
                        if vector.size == self.dimension:
                            found[keys[digest]] = vector
        except sqlite3.Error:
            return {}
        return found

    def put_many(self, vectors: Mapping[str, np.ndarray] | Iterable[tuple[str, np.ndarray]]):
        """Store embeddings by text; the first one written for a text stays."""
        items = vectors.items() if isinstance(vectors, Mapping) else vectors
        rows = [(_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in items]
        if not rows:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as connection, connection:
                connection.executemany(
                    "INSERT OR IGNORE INTO embeddings (key, vector) VALUES (?, ?)", rows
                )
        except (OSError, sqlite3.Error):
            return

    def _connect(self) -> sqlite3.Connection:
        """Open the file (a new connection per call: safe across threads and forks)."""
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
        )
        return connection


def _key(text: str) -> bytes:
    """Return the key of a text: its SHA-256, so long descriptions make short keys."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
