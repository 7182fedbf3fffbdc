"""The rate budget: a sliding window the client waits on, corrected by what Teamleader reports."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import responses

from teamleader import TeamleaderConfigurationError, TeamleaderRateLimitError
from teamleader.rate_limiter import WINDOW_MARGIN, LimitsRateLimiter, MemoryRateLimiter
from teamleader.ratelimit import RateLimit

from .conftest import API, FakeClock, fake_time_client

URL = f"{API}/contacts.list"
REDIS_URL = os.environ.get("TEAMLEADER_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")  # emptied by the tests


def reported(remaining: int, reset_in: float = 30.0) -> RateLimit:
    return RateLimit(
        limit=200,
        remaining=remaining,
        reset=dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=reset_in),
    )


@pytest.fixture
def clock():
    return FakeClock()


def test_the_window_slides(clock):
    limiter = MemoryRateLimiter(3, 10, clock=clock)
    assert [limiter.acquire("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.remaining("k") == 0
    clock.advance(4)
    assert limiter.acquire("k") == pytest.approx(10 + WINDOW_MARGIN - 4)  # until the oldest call leaves
    clock.advance(10 + WINDOW_MARGIN - 4)
    assert limiter.acquire("k") == 0.0  # the three calls made together left together
    assert limiter.remaining("k") == 2
    assert limiter.remaining("other key") == 3  # budgets are per integration and account


def test_the_client_waits_for_a_free_slot_instead_of_running_into_429(rsps, oauth):
    rsps.add(responses.POST, URL, json={"data": []})
    with fake_time_client(oauth, rate_limiter=None) as unlimited:
        pass
    clock = FakeClock()
    limiter = MemoryRateLimiter(2, 10, clock=clock)
    with fake_time_client(oauth, rate_limiter=limiter) as api:
        api._sleep = lambda s: (api.sleeps.append(s), clock.advance(s))
        for _ in range(5):
            api.call("contacts.list")
    assert len(rsps.calls) == 5
    assert api.sleeps == [pytest.approx(10 + WINDOW_MARGIN)] * 2  # two calls per window
    assert unlimited.rate_limiter is None


def test_with_the_defaults_a_spent_budget_is_waited_out_not_raised(rsps, oauth):
    rsps.add(responses.POST, URL, json={"data": []})
    with fake_time_client(oauth) as api:  # Teamleader's budget, the default wait
        for _ in range(201):
            api.call("contacts.list")
    assert len(rsps.calls) == 201
    assert api.sleeps == [pytest.approx(60 + WINDOW_MARGIN)]  # the 201st waited for the first to leave


def test_a_spent_budget_longer_than_max_rate_limit_wait_raises_and_sends_nothing(rsps, oauth):
    rsps.add(responses.POST, URL, json={"data": []})
    clock = FakeClock()
    with fake_time_client(
        oauth, rate_limiter=MemoryRateLimiter(1, 120, clock=clock), max_rate_limit_wait=30
    ) as api:
        api.call("contacts.list")
        with pytest.raises(TeamleaderRateLimitError) as info:
            api.call("contacts.list")
    assert len(rsps.calls) == 1
    assert "the rate budget of 1 calls per 120 s is spent" in str(info.value)
    assert "nothing was sent" in str(info.value)
    assert info.value.retry_after == pytest.approx(120 + WINDOW_MARGIN)


def test_calls_spent_by_other_installations_count_here_too(clock):
    limiter = MemoryRateLimiter(200, 60, clock=clock)
    limiter.acquire("k")
    limiter.observe("k", reported(remaining=150))  # plenty left: nothing to correct
    assert limiter.remaining("k") == 199
    limiter.observe("k", reported(remaining=40))  # Teamleader counted 160 calls, we made 1
    assert limiter.remaining("k") == 40
    limiter.observe("k", reported(remaining=0, reset_in=12))
    assert limiter.acquire("k") == pytest.approx(12, abs=1)  # blocked until Teamleader's reset


def test_a_429_blocks_the_shared_budget_for_every_client_using_it(rsps, oauth):
    clock = FakeClock()
    shared = MemoryRateLimiter(clock=clock)
    rsps.add(responses.POST, URL, status=429, headers={"Retry-After": "7"})
    rsps.add(responses.POST, URL, json={"data": []})
    first = fake_time_client(oauth, rate_limiter=shared)
    second = fake_time_client(oauth, rate_limiter=shared)
    second._sleep = lambda s: (second.sleeps.append(s), clock.advance(s))
    # While the first worker waits out its 429, another worker wants to call too.
    first._sleep = lambda s: (first.sleeps.append(s), second.call("contacts.list"))
    first.call("contacts.list")
    assert [c.response.status_code for c in rsps.calls] == [429, 200, 200]
    assert first.sleeps == [7.0]
    assert second.sleeps == [pytest.approx(7.0)]  # it waited too, without a 429 of its own
    first.close()
    second.close()


@pytest.mark.parametrize("kwargs", [{"calls": 0}, {"calls": "200"}, {"period": 0}, {"period": -1}])
def test_bad_budgets_are_refused(kwargs):
    with pytest.raises(TeamleaderConfigurationError) as info:
        MemoryRateLimiter(**kwargs)
    assert set(info.value.problems) == set(kwargs)


def test_a_client_refuses_something_that_is_not_a_limiter(oauth):
    with pytest.raises(TeamleaderConfigurationError, match="rate_limiter must be a RateLimiter or None"):
        fake_time_client(oauth, rate_limiter=object())


@pytest.fixture
def redis_limiter():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    limiter = LimitsRateLimiter(REDIS_URL, 3, 2, prefix="teamleader-tests")
    yield limiter
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_on_redis_the_moving_window_and_the_block_are_shared(redis_limiter):
    other_process = LimitsRateLimiter(REDIS_URL, 3, 2, prefix="teamleader-tests")
    assert [redis_limiter.acquire("k"), other_process.acquire("k"), redis_limiter.acquire("k")] == [0.0] * 3
    assert other_process.remaining("k") == 0
    assert 0 < other_process.acquire("k") <= 2 + WINDOW_MARGIN
    redis_limiter.block("j", 30)
    assert 28 < other_process.blocked_for("j") <= 30
    assert other_process.acquire("j") > 28
