"""Rate-limit headers and the wait a 429 asks for."""

from __future__ import annotations

import datetime as dt

from teamleader.ratelimit import RateLimit, retry_delay
from teamleader.retry import RetryPolicy, is_read

UTC = dt.timezone.utc
NOW = dt.datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)


def test_headers_parse_to_a_rate_limit():
    limit = RateLimit.from_headers(
        {
            "X-RateLimit-Limit": "200",
            "X-RateLimit-Remaining": "17",
            "X-RateLimit-Reset": "2030-01-01T12:00:30+00:00",
        }
    )
    assert limit == RateLimit(200, 17, dt.datetime(2030, 1, 1, 12, 0, 30, tzinfo=UTC))
    assert RateLimit.from_headers({}) is None
    assert RateLimit.from_headers({"X-RateLimit-Limit": "lots"}) == RateLimit(None, None, None)


def test_reset_is_an_iso_timestamp_not_epoch():
    assert retry_delay({"X-RateLimit-Reset": "2030-01-01T12:00:42+00:00"}, now=NOW) == 42
    assert retry_delay({"X-RateLimit-Reset": "2030-01-01T13:00:42+01:00"}, now=NOW) == 42
    assert retry_delay({"X-RateLimit-Reset": "2030-01-01T12:00:42Z"}, now=NOW) == 42
    assert retry_delay({"X-RateLimit-Reset": "1893499242"}, now=NOW) is None
    assert retry_delay({"X-RateLimit-Reset": "2029-12-31T00:00:00+00:00"}, now=NOW) == 0


def test_retry_after_wins_in_seconds_or_http_date():
    headers = {"Retry-After": "7", "X-RateLimit-Reset": "2030-01-01T12:00:42+00:00"}
    assert retry_delay(headers, now=NOW) == 7
    assert retry_delay({"Retry-After": "Tue, 01 Jan 2030 12:00:09 GMT"}, now=NOW) == 9
    assert retry_delay({}, now=NOW) is None


def test_policy_caps_waits():
    policy = RetryPolicy(max_retries=3, backoff_base=1, backoff_max=4, max_rate_limit_wait=10)
    assert policy.rate_limit_wait(300, 1) == 10
    assert policy.rate_limit_wait(None, 3) == 4
    assert all(0 <= policy.backoff(n) <= min(4, 2 ** (n - 1)) for n in range(1, 8) for _ in range(20))


def test_only_reads_are_idempotent():
    reads = [
        "contacts.list",
        "contacts.info",
        "users.me",
        "users.listDaysOff",
        "invoices.download",
        "tickets.getMessage",
        "projects-v2/projects.list",
        "timers.current",
    ]
    writes = [
        "contacts.add",
        "deals.create",
        "deals.win",
        "deals.move",
        "invoices.book",
        "contacts.delete",
        "webhooks.register",
        "daysOff.import",
        "tickets.importMessage",
        "projects-v2/tasks.update",
    ]
    assert all(is_read(e) for e in reads)
    assert not any(is_read(e) for e in writes)
