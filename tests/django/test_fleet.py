"""A fleet of processes shares one rate budget on Redis: no 429, the budget used to the full.

8 processes make together three times more calls than the budget allows in one period,
against the sandbox server enforcing a sliding window of the same size (a small budget,
40 calls per 15 s, so the test takes about half a minute). The control runs the same
fleet without the shared budget and shows the 429s.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from pathlib import Path

import pytest

from teamleader.testing import Sandbox

from ..factories import TeamleaderTokenFactory
from .utils import database_url, start_together

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEAMLEADER_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
# The budget is keyed by the client id: a run's own id keeps two runs on one Redis (tox -p,
# two checkouts) from spending each other's budget, and tells which keys are this run's.
CLIENT_ID = f"fleet-{uuid.uuid4().hex[:12]}"
WORKERS, CALLS, PERIOD = 8, 40, 15
TOTAL = 3 * CALLS  # three periods' worth of calls


@pytest.fixture
def redis_db():
    redis = pytest.importorskip("redis")
    db = redis.Redis.from_url(REDIS_URL)
    try:
        db.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"the fleet test needs Redis at {REDIS_URL}")
    yield db
    for key in db.scan_iter(f"*{CLIENT_ID}*"):  # this run's budget; other keys are left alone
        db.delete(key)


@pytest.fixture
def stand_in():
    """Teamleader with the small budget, as a real server the processes reach."""
    server = Sandbox(rate_limit=CALLS, rate_limit_window=PERIOD).serve()
    token = server.sandbox.issue_token_object()
    TeamleaderTokenFactory(access_token=token.access_token, refresh_token=token.refresh_token)
    yield server
    server.stop()


def run_fleet(url: str, rate_limit: dict | None) -> list[dict]:
    overrides = {"CLIENT_ID": CLIENT_ID, "AUTH_BASE_URL": url, "API_BASE_URL": url, "RATE_LIMIT": rate_limit}
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
        "TEAMLEADER_TEST_OVERRIDES": json.dumps(overrides),
        "TEAMLEADER_TEST_CACHE_URL": REDIS_URL,
    }
    return start_together(
        "tests.django.fleet_worker", str(TOTAL // WORKERS), env=env, count=WORKERS, cwd=str(ROOT)
    )


@pytest.mark.fleet
@pytest.mark.django_db(transaction=True)
def test_eight_processes_share_one_budget_on_redis_without_a_429(redis_db, stand_in):
    results = run_fleet(stand_in.url, {"CALLS": CALLS, "PERIOD": PERIOD, "CACHE": "default"})
    stats = stand_in.sandbox.stats
    elapsed = max(r["ended"] for r in results) - min(r["started"] for r in results)
    # The fastest the budget allows: a period's worth at once, then one more per period.
    fastest = (math.ceil(TOTAL / CALLS) - 1) * PERIOD
    print(
        f"fleet: {sum(r['ok'] for r in results)} calls in {elapsed:.1f} s by {WORKERS} processes, "
        f"{stats['rate_limited']} answered 429, throughput {fastest / elapsed:.0%} of the budget"
    )
    assert [r["errors"] for r in results] == [[]] * WORKERS
    assert sum(r["ok"] for r in results) == TOTAL == stats["api_calls"]
    assert stats["rate_limited"] == 0
    assert fastest / elapsed >= 0.85


@pytest.mark.fleet
@pytest.mark.django_db(transaction=True)
def test_control_the_same_fleet_without_the_budget_runs_into_429s(redis_db, stand_in):
    results = run_fleet(stand_in.url, None)
    stats = stand_in.sandbox.stats
    print(
        f"control: {stats['rate_limited']} answered 429, {sum(len(r['errors']) for r in results)} calls failed"
    )
    assert stats["rate_limited"] > 0
