"""A token bucket per write key: ``rate`` requests a second, bursts up to ``burst``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBuckets:
    """One token bucket per key, refilled continuously; thread-safe.

    Examples
    --------
    >>> now = [0.0]
    >>> buckets = TokenBuckets(rate=2, burst=2, clock=lambda: now[0])
    >>> [buckets.take("k") for _ in range(3)]
    [0.0, 0.0, 0.5]
    >>> now[0] = 0.5
    >>> buckets.take("k")
    0.0
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = float(burst) if burst is not None else max(1.0, self.rate)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, last refill)

    def take(self, key: str) -> float:
        """Take one token: 0.0 if there was one, else the seconds until there will be."""
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0 - 1e-9:  # float error must not refuse a due token
                self._buckets[key] = (max(0.0, tokens - 1.0), now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
