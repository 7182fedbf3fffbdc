"""The sliding-window rate limit and its ``X-RateLimit-*`` headers."""

from __future__ import annotations

import datetime as dt

from teamleader.testing import Sandbox

from .conftest import Caller


def reset_at(answer) -> float:
    value = answer.headers["X-RateLimit-Reset"]
    assert "T" in value and value.endswith("+00:00"), "an ISO 8601 timestamp, not epoch seconds"
    return dt.datetime.fromisoformat(value).timestamp()


def test_default_limit_is_200_per_minute(caller: Caller) -> None:
    answer = caller.api("users.me")
    assert answer.headers["X-RateLimit-Limit"] == "200"
    assert answer.headers["X-RateLimit-Remaining"] == "199"


def test_over_the_limit_is_429_until_the_window_slides(clock) -> None:
    caller = Caller(Sandbox(clock=clock, rate_limit=3))
    remaining = [caller.api("users.me").headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]

    clock.tick(10)
    refused = caller.api("users.me")
    assert refused.status == 429
    assert refused.json == {"errors": [{"title": "Too many requests, slow down", "status": 429}]}
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert reset_at(refused) == clock.now - 10 + 60
    assert refused.headers["Retry-After"] == "50"
    assert caller.sandbox.stats["rate_limited"] == 1

    clock.tick(50)
    recovered = caller.api("users.me")
    assert recovered.status == 200
    assert recovered.headers["X-RateLimit-Remaining"] == "2"  # refused calls were not counted


def test_the_window_slides_call_by_call(clock) -> None:
    caller = Caller(Sandbox(clock=clock, rate_limit=3))
    for step in (0, 30, 1):  # calls at t=0, 30, 31
        clock.tick(step)
        assert caller.api("users.me").status == 200
    clock.tick(14)  # t=45
    assert caller.api("users.me").status == 429
    clock.tick(15.5)  # t=60.5: the call at t=0 has left the window
    assert caller.api("users.me").status == 200
    clock.tick(0.5)  # t=61: calls at 30, 31 and 60.5 fill it again
    assert caller.api("users.me").status == 429


def test_errors_carry_the_headers_too(clock) -> None:
    caller = Caller(Sandbox(clock=clock, rate_limit=5))
    not_found = caller.api("contacts.info", {"id": "missing"})
    assert not_found.status == 404
    assert not_found.headers["X-RateLimit-Remaining"] == "4"


def test_rate_limit_none_disables_it(clock) -> None:
    caller = Caller(Sandbox(clock=clock, rate_limit=None))
    answers = [caller.api("users.me") for _ in range(250)]
    assert {a.status for a in answers} == {200}
    assert "X-RateLimit-Limit" not in answers[-1].headers
