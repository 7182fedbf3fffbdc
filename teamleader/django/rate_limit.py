"""The rate budget on the site's cache, so every process and host that shares the cache shares it.

``TEAMLEADER["RATE_LIMIT"] = {"CALLS": 200, "PERIOD": 60, "CACHE": "default"}`` (the
defaults; ``None`` turns it off) picks the cache. Two ways to keep a sliding window there:

* A Redis cache (``django.core.cache.backends.redis.RedisCache``): the `limits
  <https://limits.readthedocs.io>`_ library's moving window on the same Redis server, an
  exact sliding log of the calls, taken atomically by a Lua script, like Teamleader's own
  window. Needs ``pip install "teamleader-sdk[redis]"``.
* Memcached (or any other cache): :class:`CacheRateLimiter`, a sliding-window counter
  over Django's cache API. It keeps a count per fixed window and weighs the previous
  window's count by how much of it still slides inside, which estimates the sliding count
  closely without a log (Cloudflare's approach). Counting relies on ``cache.incr`` being
  atomic, as it is on Memcached.

A per-process cache (local memory, dummy) shares nothing across processes: system check
``teamleader.W020`` says so. The file and database caches implement ``incr`` as a read
and a write, so processes racing for the last slots overspend the budget (and the
database cache counts inside the callers' transactions): ``teamleader.W021``.
"""

from __future__ import annotations

import math
import time
from typing import Any, Callable

from django.core.cache import BaseCache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from teamleader.rate_limiter import LimitsRateLimiter, RateLimiter

from .conf import DEFAULTS, improperly_configured, setting_errors, teamleader_settings

__all__ = [
    "CacheRateLimiter",
    "counts_atomically",
    "get_rate_limiter",
    "rate_limit_settings",
    "shares_budget",
]

DEFAULT_RATE_LIMIT: dict[str, Any] = DEFAULTS["RATE_LIMIT"]


class CacheRateLimiter(RateLimiter):
    """A sliding-window counter of the budget in a Django cache."""

    def __init__(
        self,
        cache: BaseCache,
        calls: int = 200,
        period: float = 60.0,
        *,
        prefix: str = "teamleader",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(calls, period)
        self.cache = cache
        self.prefix = prefix
        self._clock = clock  # epoch seconds: the windows are shared between hosts

    def _keys(self, key: str, now: float) -> tuple[str, str, float]:
        """The current and previous windows' keys, and how far into the current one ``now`` is (0–1)."""
        index, into = divmod(now, self.window)
        return (
            f"{self.prefix}:rate:{key}:{int(index)}",
            f"{self.prefix}:rate:{key}:{int(index) - 1}",
            into / self.window,
        )

    def _counts(self, key: str, now: float) -> tuple[int, int, float]:
        current, previous, into = self._keys(key, now)
        counts = self.cache.get_many([current, previous])
        return int(counts.get(current, 0)), int(counts.get(previous, 0)), into

    def hit(self, key: str, cost: int = 1) -> bool:
        now = self._clock()
        current, previous, into = self._keys(key, now)
        timeout = math.ceil(2 * self.window) + 1
        try:
            self.cache.add(current, 0, timeout=timeout)
            count = self.cache.incr(current, cost)
        except ValueError:  # evicted between add and incr: count afresh
            try:
                self.cache.add(current, 0, timeout=timeout)
                count = self.cache.incr(current, cost)
            except ValueError:  # a cache that keeps nothing (dummy): no budget to keep
                return True
        estimate = int(self.cache.get(previous, 0)) * (1 - into) + count
        if estimate > self.calls:
            self.cache.decr(current, cost)
            return False
        return True

    def wait_time(self, key: str) -> float:
        current, previous, into = self._counts(key, self._clock())
        room = self.calls - 1  # what the estimate may be before one more call
        if current <= room:
            if previous * (1 - into) + current <= room:
                return 0.0
            # The previous window's weight must fall until previous * (1 - into) + current <= room.
            return (1 - (room - current) / previous - into) * self.window
        # Not before the next window, where this window's count is the previous one.
        return (1 - into) * self.window + (1 - room / current) * self.window

    def remaining(self, key: str) -> int:
        current, previous, into = self._counts(key, self._clock())
        return max(0, self.calls - math.ceil(previous * (1 - into) + current))

    def block(self, key: str, seconds: float) -> None:
        until = self._clock() + seconds
        if seconds > 0 and until > self._clock() + self.blocked_for(key):
            self.cache.set(f"{self.prefix}:rate:{key}:blocked", until, timeout=math.ceil(seconds) + 1)

    def blocked_for(self, key: str) -> float:
        until = self.cache.get(f"{self.prefix}:rate:{key}:blocked")
        return max(0.0, float(until) - self._clock()) if until else 0.0


def rate_limit_settings() -> dict[str, Any] | None:
    """``TEAMLEADER["RATE_LIMIT"]`` with the defaults filled in, or ``None`` when it is off."""
    value = teamleader_settings.RATE_LIMIT
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - set(DEFAULT_RATE_LIMIT):
        raise improperly_configured(
            {'"RATE_LIMIT"': f"must be None or a dict with the keys CALLS, PERIOD and CACHE, got {value!r}."}
        )
    return {**DEFAULT_RATE_LIMIT, **value}


def get_rate_limiter() -> RateLimiter | None:
    """The site's rate limiter: one per settings generation, shared by the threads of the process."""
    return teamleader_settings.cached("rate_limiter", _build)


def _build() -> RateLimiter | None:
    config = rate_limit_settings()
    if config is None:
        return None
    alias = config["CACHE"]
    from django.conf import settings

    if not isinstance(alias, str) or alias not in settings.CACHES:
        raise improperly_configured(
            {
                'TEAMLEADER["RATE_LIMIT"]["CACHE"]': f"must name an alias of settings.CACHES "
                f"({', '.join(settings.CACHES)}), got {alias!r}."
            }
        )
    cache = caches[alias]
    keys = {"calls": 'TEAMLEADER["RATE_LIMIT"]["CALLS"]', "period": 'TEAMLEADER["RATE_LIMIT"]["PERIOD"]'}
    with setting_errors(keys):
        if _is_redis(cache):
            try:
                return LimitsRateLimiter(
                    _redis_url(alias),
                    config["CALLS"],
                    config["PERIOD"],
                    prefix=cache.key_prefix or "teamleader",
                )
            except ImportError as err:
                raise improperly_configured(
                    {
                        'TEAMLEADER["RATE_LIMIT"]["CACHE"]': f"is a Redis cache; its budget needs the limits "
                        f'library: pip install "teamleader-sdk[redis]" ({err}).'
                    }
                ) from err
        return CacheRateLimiter(
            cache, config["CALLS"], config["PERIOD"], prefix=cache.key_prefix or "teamleader"
        )


def shares_budget(alias: str) -> bool:
    """Whether the cache ``alias`` is seen by other processes (not local memory, not dummy)."""
    return not isinstance(caches[alias], (LocMemCache, DummyCache))


def counts_atomically(alias: str) -> bool:
    """Whether the cache ``alias`` increments atomically (not the file or database cache)."""
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.filebased import FileBasedCache

    return not isinstance(caches[alias], (FileBasedCache, DatabaseCache))


def _is_redis(cache: BaseCache) -> bool:
    try:
        from django.core.cache.backends.redis import RedisCache
    except ImportError:  # pragma: no cover - Django < 4
        return False
    return isinstance(cache, RedisCache)


def _redis_url(alias: str) -> str:
    """The (first, i.e. writable) server of a Redis cache's ``LOCATION``."""
    from django.conf import settings

    location = settings.CACHES[alias]["LOCATION"]
    if isinstance(location, str):
        location = location.split(",")
    return str(location[0]).strip()
