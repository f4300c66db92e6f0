"""Rate-limit counters of one worker process, without the timer thread of ``limits``' own.

``limits``' memory storage starts a thread to expire counters on almost every request
(about a fifth of a small request's time here); these counters expire when next read, and
a sweep every minute drops those of callers that stopped calling. Fixed windows only, the
strategy the service uses.
"""

from __future__ import annotations

import threading
import time

from limits.storage import Storage

#: Seconds between sweeps of expired counters.
SWEEP_EVERY = 60.0


class ProcessStorage(Storage):
    """Fixed-window counters in a dict, expired lazily; ``skillpath-memory://``."""

    STORAGE_SCHEME = ["skillpath-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._counters: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = time.time() + SWEEP_EVERY

    @property
    def base_exceptions(self) -> type[Exception]:
        """Nothing here raises storage errors; ``limits`` asks anyway."""
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` more in the window of ``key``, opening one if none is live."""
        now = time.time()
        with self._lock:
            if now >= self._next_sweep:
                self._counters = {k: v for k, v in self._counters.items() if v[1] > now}
                self._next_sweep = now + SWEEP_EVERY
            count, ends = self._counters.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + expiry
            count += amount
            self._counters[key] = (count, ends)
            return count

    def get(self, key: str) -> int:
        """Return the count of the live window of ``key`` (0 if none)."""
        count, ends = self._counters.get(key, (0, 0.0))
        return count if ends > time.time() else 0

    def get_expiry(self, key: str) -> float:
        """Return when the window of ``key`` ends (now if none is live)."""
        now = time.time()
        _, ends = self._counters.get(key, (0, 0.0))
        return ends if ends > now else now

    def check(self) -> bool:
        """Counters in memory are always reachable."""
        return True

    def reset(self) -> int | None:
        """Drop every counter and say how many there were."""
        with self._lock:
            n = len(self._counters)
            self._counters = {}
        return n

    def clear(self, key: str) -> None:
        """Drop the counter of ``key``."""
        with self._lock:
            self._counters.pop(key, None)
