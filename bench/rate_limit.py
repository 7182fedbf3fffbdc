"""What the shared rate budget costs per call: one slot taken and one answer observed.

    python bench/rate_limit.py                                  # memory, and Redis at the default URL
    python bench/rate_limit.py --redis redis://127.0.0.1:6379/7

Per call the client asks the limiter for a slot (on Redis: is the budget blocked, then the
moving window's Lua script) and shows it the answer's X-RateLimit headers (a round trip only
once Teamleader reports less than half the budget left). Prints the median cost per call of
each limiter. Not a test: it asserts nothing, it measures. The Redis database is emptied after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from teamleader.rate_limiter import LimitsRateLimiter, MemoryRateLimiter, RateLimiter  # noqa: E402
from teamleader.ratelimit import RateLimit  # noqa: E402


def report(remaining: int) -> RateLimit:
    return RateLimit(
        limit=200, remaining=remaining, reset=dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=60)
    )


def median_us(step, rounds: int) -> float:
    batches = []
    for _ in range(20):
        started = time.perf_counter()
        for _ in range(rounds // 20):
            step()
        batches.append((time.perf_counter() - started) / (rounds // 20) * 1e6)
    return statistics.median(batches)


def costs(limiter: RateLimiter, rounds: int) -> tuple[float, float]:
    """µs per call: a slot and an answer with most of the budget left; an answer with little left.

    Teamleader's budget (200 calls a minute); a new account key every 150 calls, so the
    window is as full as a busy site's but never runs out.
    """
    plenty = report(limiter.calls)
    calls = 0

    def call() -> None:
        nonlocal calls
        key = f"bench-client:account-{calls // 150}"
        calls += 1
        if limiter.acquire(key) != 0.0:
            raise SystemExit("the budget ran out")
        limiter.observe(key, plenty)

    typical = median_us(call, rounds)
    key = f"bench-client:account-{calls // 150}"
    low = report(min(limiter.remaining(key), limiter.calls // 4))  # as many as here: nothing to correct
    return typical, median_us(lambda: limiter.observe(key, low), rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--rounds", type=int, default=4000)
    args = parser.parse_args()
    print(f"rate budget, {args.rounds} calls each; per call: a slot and an answer's X-RateLimit headers")
    line = "  {:<40} {:7.1f} µs per call; {:7.1f} µs more per answer once under half the budget"
    print(line.format("MemoryRateLimiter (one process)", *costs(MemoryRateLimiter(), args.rounds)))
    try:
        import redis

        redis.Redis.from_url(args.redis).ping()
    except Exception as err:  # noqa: BLE001 - a line is skipped, not the run
        print(f"  (Redis at {args.redis} skipped: {type(err).__name__}: {err})")
        return
    try:
        limiter = LimitsRateLimiter(args.redis, prefix="teamleader-bench")
        print(line.format("LimitsRateLimiter on Redis (loopback)", *costs(limiter, args.rounds)))
        print(f"  (one Redis round trip: {median_us(limiter.storage.check, args.rounds):.1f} µs)")
    finally:
        redis.Redis.from_url(args.redis).flushdb()


if __name__ == "__main__":
    main()
