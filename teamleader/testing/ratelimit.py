"""Teamleader's rate limit: N calls per sliding window, announced in ``X-RateLimit-*`` headers."""

from __future__ import annotations

import math
from collections import deque

from .timeutil import iso_datetime

__all__ = ["SlidingWindowLimiter"]


class SlidingWindowLimiter:
    """Counts calls in the last ``window`` seconds; ``limit=None`` never refuses.

    Not thread-safe on its own: the sandbox calls it under its lock.
    """

    def __init__(self, limit: int | None = 200, window: float = 60.0) -> None:
        if limit is not None and limit < 1:
            raise ValueError("rate_limit must be a positive number of calls, or None to disable it")
        if window <= 0:
            raise ValueError("rate_limit_window must be a positive number of seconds")
        self.limit = limit
        self.window = float(window)
        self._calls: deque[float] = deque()

    def _forget_before(self, now: float) -> None:
        while self._calls and self._calls[0] <= now - self.window:
            self._calls.popleft()

    def hit(self, now: float) -> bool:
        """Count one call at ``now``; ``False`` (and nothing counted) when over the limit."""
        self._forget_before(now)
        if self.limit is not None and len(self._calls) >= self.limit:
            return False
        self._calls.append(now)
        return True

    def reset_at(self, now: float) -> float:
        """When the oldest call in the window leaves it (``now + window`` when empty)."""
        self._forget_before(now)
        return self._calls[0] + self.window if self._calls else now + self.window

    def headers(self, now: float) -> dict[str, str]:
        """The ``X-RateLimit-*`` headers describing the window at ``now``."""
        if self.limit is None:
            return {}
        self._forget_before(now)
        remaining = max(self.limit - len(self._calls), 0)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": iso_datetime(self.reset_at(now)),
        }

    def retry_after(self, now: float) -> int:
        """Whole seconds until a call would be accepted again."""
        return max(1, math.ceil(self.reset_at(now) - now))

    def clear(self) -> None:
        self._calls.clear()
