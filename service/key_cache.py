"""API keys a worker verified, trusted for a short while and dropped at once on revocation.

Looking a key up costs a query of its own on every request. A worker remembers the keys it
verified for :data:`TTL` seconds under the credentials version (:mod:`catalog.version`),
which every request reads anyway, in the one query that also reads the catalog version.
Revoking a key moves that version in the same transaction, so from the next request on every
worker looks each key up again and refuses the revoked one, as OAuth clients are refused.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from service.auth import Caller

#: Seconds a verified key is trusted without a lookup while the credentials version stands.
TTL = 60.0
#: Where an app keeps its cache.
EXTENSION = "skillpath.key_cache"


class KeyCache:
    """Callers of verified key hashes, each with the credentials version it was verified under."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Caller, int, float]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str, version: int) -> Caller | None:
        """Return the caller of a key verified under ``version`` less than TTL ago, or None."""
        entry = self._entries.get(digest)
        if entry is None:
            return None
        caller, verified_under, until = entry
        if verified_under != version or time.monotonic() >= until:
            return None
        return caller

    def put(self, digest: str, caller: Caller, version: int) -> None:
        """Remember a key just verified under ``version``; forget keys of older versions."""
        with self._lock:
            if any(v != version for _, v, _ in self._entries.values()):
                self._entries = {d: e for d, e in self._entries.items() if e[1] == version}
            self._entries[digest] = (caller, version, time.monotonic() + TTL)


def key_cache() -> KeyCache:
    """Return the current app's key cache (one per app, so per worker process)."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(EXTENSION, KeyCache())
    return cache
