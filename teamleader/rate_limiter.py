"""A budget of calls that every process spending it shares: the client waits for a free slot.

Teamleader allows 200 calls per sliding minute per integration and account, counted
over every process and host that uses the integration. A :class:`RateLimiter` keeps that
budget where all of them see it; :class:`~teamleader.client.TeamleaderClient` takes a
slot before each request and, when none is free, waits for the next one instead of
running into HTTP 429. What Teamleader reports (``X-RateLimit-Remaining``) corrects the
shared view, since other installations of the same integration spend the same budget.

* :class:`MemoryRateLimiter`: one process (the default for plain Python).
* :class:`LimitsRateLimiter`: any storage of the `limits <https://limits.readthedocs.io>`_
  library, e.g. Redis, with its moving window (``pip install "teamleader-sdk[redis]"``).
* ``teamleader.django.rate_limit``: the same on the Django site's cache.

The window is one second longer than Teamleader's, for the time a request takes to get
there: that keeps an exact window (memory, the moving window) from overspending the
budget at its edge, at the price of a slightly lower peak rate.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import deque
from typing import Any, Callable, cast

from ._checks import Arguments
from .ratelimit import RateLimit

__all__ = ["LimitsRateLimiter", "MemoryRateLimiter", "RateLimiter", "WINDOW_MARGIN"]

#: Seconds added to the window for the time a request takes to reach Teamleader.
WINDOW_MARGIN = 1.0
#: Shortest wait before asking again, so that waiting never spins.
MIN_WAIT = 0.01


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _calls(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"must be a whole number of calls, 1 or more, got {value!r}")
    return value


def _period(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"must be a positive number of seconds, got {value!r}")
    return value


class RateLimiter:
    """``calls`` per sliding ``period`` seconds, counted per key (integration and account).

    Implement :meth:`hit`, :meth:`wait_time`, :meth:`remaining`, :meth:`block` and
    :meth:`blocked_for` over a storage that every process spending the budget shares;
    :meth:`acquire` and :meth:`observe`, which the client calls, are built on them.
    """

    def __init__(self, calls: int = 200, period: float = 60.0) -> None:
        arguments = Arguments()
        calls = arguments.check("calls", _calls, calls)
        period = arguments.check("period", _period, period)
        arguments.raise_if_any()
        self.calls = calls
        self.period = period
        #: The window counted: Teamleader's plus :data:`WINDOW_MARGIN`.
        self.window = period + WINDOW_MARGIN

    def __repr__(self) -> str:
        return f"{type(self).__name__}(calls={self.calls}, period={self.period:g})"

    def hit(self, key: str, cost: int = 1) -> bool:
        """Take ``cost`` slots now if that many are free; ``False`` (nothing taken) otherwise."""
        raise NotImplementedError

    def wait_time(self, key: str) -> float:
        """Seconds until a slot is free (0 when one is free now)."""
        raise NotImplementedError

    def remaining(self, key: str) -> int:
        """Free slots now."""
        raise NotImplementedError

    def block(self, key: str, seconds: float) -> None:
        """Give out no slot for ``seconds`` (Teamleader said so: a 429, or its budget is spent)."""
        raise NotImplementedError

    def blocked_for(self, key: str) -> float:
        """Seconds the budget is still blocked (0 when it is not)."""
        raise NotImplementedError

    def acquire(self, key: str) -> float:
        """Take a slot: ``0.0`` when taken, else how long to wait before asking again."""
        blocked = self.blocked_for(key)
        if blocked > 0:
            return max(blocked, MIN_WAIT)
        if self.hit(key):
            return 0.0
        return max(self.wait_time(key), MIN_WAIT)

    def observe(self, key: str, report: RateLimit) -> None:
        """Correct the shared view with what an answer reported.

        Spent at Teamleader (``X-RateLimit-Remaining`` 0): no slot until
        ``X-RateLimit-Reset``. Fewer slots left there than here (other installations of
        the integration spend the same budget): the difference is taken here too. Only
        checked once Teamleader reports less than half the budget left, which keeps an
        idle budget's answers free of a second round trip.
        """
        if report.remaining is None or report.remaining >= self.calls / 2:
            return
        if report.remaining <= 0:
            if report.reset is not None:
                self.block(key, (report.reset - _utcnow()).total_seconds())
            return
        spent_elsewhere = self.remaining(key) - report.remaining
        if spent_elsewhere > 0:
            self.hit(key, cost=spent_elsewhere)


class MemoryRateLimiter(RateLimiter):
    """A budget for one process: the times of the calls in the window, per key.

    Thread-safe. Share one instance between the clients of a process that use the same
    integration; each :class:`~teamleader.client.TeamleaderClient` makes its own by default.
    ``clock`` (monotonic seconds) is for tests.
    """

    def __init__(
        self, calls: int = 200, period: float = 60.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(calls, period)
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}
        self._blocked: dict[str, float] = {}

    def _window(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def hit(self, key: str, cost: int = 1) -> bool:
        with self._lock:
            now = self._clock()
            hits = self._window(key, now)
            if len(hits) + cost > self.calls:
                return False
            hits.extend([now] * cost)
            return True

    def wait_time(self, key: str) -> float:
        with self._lock:
            now = self._clock()
            hits = self._window(key, now)
            if len(hits) < self.calls:
                return 0.0
            return max(0.0, hits[0] + self.window - now)

    def remaining(self, key: str) -> int:
        with self._lock:
            return max(0, self.calls - len(self._window(key, self._clock())))

    def block(self, key: str, seconds: float) -> None:
        with self._lock:
            until = self._clock() + seconds
            self._blocked[key] = max(until, self._blocked.get(key, until))

    def blocked_for(self, key: str) -> float:
        with self._lock:
            return max(0.0, self._blocked.get(key, 0.0) - self._clock())


class LimitsRateLimiter(RateLimiter):
    """The budget in a `limits <https://limits.readthedocs.io>`_ storage, with its moving window.

    ``storage`` is a storage URI (``"redis://localhost:6379/0"``) or a ``limits`` storage.
    The moving window keeps the time of every call in the window and takes a slot
    atomically (a Lua script on Redis), so every process and host sharing the storage
    shares one exact sliding window, like Teamleader's.
    """

    def __init__(
        self, storage: Any, calls: int = 200, period: float = 60.0, *, prefix: str = "teamleader"
    ) -> None:
        super().__init__(calls, period)
        from limits import RateLimitItemPerSecond, strategies
        from limits.storage import storage_from_string

        self.storage = storage_from_string(storage) if isinstance(storage, str) else storage
        self._limiter = strategies.MovingWindowRateLimiter(self.storage)
        self._item = RateLimitItemPerSecond(calls, math.ceil(self.window), namespace=prefix)

    def hit(self, key: str, cost: int = 1) -> bool:
        return self._limiter.hit(self._item, key, cost=cost)

    def wait_time(self, key: str) -> float:
        stats = self._limiter.get_window_stats(self._item, key)
        return 0.0 if stats.remaining > 0 else max(0.0, stats.reset_time - time.time())

    def remaining(self, key: str) -> int:
        return max(0, self._limiter.get_window_stats(self._item, key).remaining)

    def block(self, key: str, seconds: float) -> None:
        # The storage keeps counters that expire after whole seconds: the counter holds the
        # end of the block in milliseconds, and lives a little longer than that.
        if seconds > 0 and seconds > self.blocked_for(key):
            blocked = self._blocked_key(key)
            self.storage.clear(blocked)
            self.storage.incr(blocked, math.ceil(seconds) + 1, amount=int((time.time() + seconds) * 1000))

    def blocked_for(self, key: str) -> float:
        until_ms = cast(int, self.storage.get(self._blocked_key(key)))  # a synchronous storage
        return max(0.0, until_ms / 1000 - time.time()) if until_ms else 0.0

    def _blocked_key(self, key: str) -> str:
        return f"{self._item.namespace}/blocked/{key}"
