"""The rate budget on the site's cache: settings, the shared window, and the check that it is shared."""

from __future__ import annotations

import pytest
import responses
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from teamleader.django import get_client
from teamleader.django.client import get_token_backend
from teamleader.django.rate_limit import CacheRateLimiter, get_rate_limiter
from teamleader.rate_limiter import WINDOW_MARGIN, LimitsRateLimiter

from ..conftest import FakeClock
from ..factories import TeamleaderTokenFactory

API = "https://api.focus.teamleader.eu"
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-tests"}
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "teamleader_rate_tests",
}
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/10"}


@pytest.fixture
def budget(settings):
    """``budget(**RATE_LIMIT)``: turn the budget on (the suite runs with it off)."""

    def turn_on(**rate_limit):
        settings.TEAMLEADER = {**settings.TEAMLEADER, "RATE_LIMIT": rate_limit}
        return get_rate_limiter()

    return turn_on


def w020(settings_value):
    with override_settings(TEAMLEADER=settings_value):
        return [m for m in run_checks(tags=["teamleader"]) if m.id == "teamleader.W020"]


def test_the_default_budget_is_teamleaders_on_the_default_cache(budget, settings):
    settings.CACHES = {"default": LOCMEM}
    limiter = budget()
    assert isinstance(limiter, CacheRateLimiter)
    assert (limiter.calls, limiter.period) == (200, 60)
    assert get_rate_limiter() is limiter  # one per settings generation, shared by threads


def test_none_keeps_no_budget(settings):
    assert get_rate_limiter() is None
    assert get_client().rate_limiter is None


def test_a_redis_cache_gets_the_limits_moving_window(budget, settings):
    pytest.importorskip("limits")
    settings.CACHES = {"default": LOCMEM, "shared": REDIS}
    limiter = budget(CACHE="shared", CALLS=40, PERIOD=10)
    assert isinstance(limiter, LimitsRateLimiter)
    assert (limiter.calls, limiter.period) == (40, 10)


@pytest.mark.parametrize(
    "rate_limit, needle",
    [
        ({"CACHE": "nowhere"}, 'TEAMLEADER["RATE_LIMIT"]["CACHE"] must name an alias of settings.CACHES'),
        ({"CALLS": 0}, 'TEAMLEADER["RATE_LIMIT"]["CALLS"] must be a whole number of calls'),
        ({"PERIOD": "60"}, 'TEAMLEADER["RATE_LIMIT"]["PERIOD"] must be a positive number of seconds'),
        ({"CALS": 10}, '"RATE_LIMIT" must be None or a dict with the keys CALLS, PERIOD and CACHE'),
        (200, '"RATE_LIMIT" must be None or a dict'),
    ],
)
def test_a_bad_budget_is_named_at_startup(settings, rate_limit, needle):
    from django.apps import apps

    with override_settings(TEAMLEADER={**settings.TEAMLEADER, "RATE_LIMIT": rate_limit}):
        with pytest.raises(ImproperlyConfigured) as info:
            apps.get_app_config("teamleader_django").ready()
    assert needle in str(info.value)


def test_w020_when_the_budget_lives_in_a_per_process_cache(settings):
    settings.CACHES = {"default": LOCMEM, "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    on = {**settings.TEAMLEADER, "RATE_LIMIT": {}}
    [warning] = w020(on)
    assert "which every process keeps for itself" in warning.msg
    assert "RedisCache" in warning.hint
    assert len(w020({**on, "RATE_LIMIT": {"CACHE": "dummy"}})) == 1
    assert w020(settings.TEAMLEADER) == []  # off: nothing to share
    settings.CACHES = {"default": LOCMEM, "redis": REDIS}
    assert w020({**on, "RATE_LIMIT": {"CACHE": "redis"}}) == []


@pytest.fixture
def counter(settings):
    """A CacheRateLimiter of 10 calls per 100 s on local memory, on a clock the test moves."""
    from django.core.cache import caches

    settings.CACHES = {"default": LOCMEM}
    caches["default"].clear()
    clock = FakeClock()
    clock.now = 0.0
    limiter = CacheRateLimiter(caches["default"], 10, 100 - WINDOW_MARGIN, clock=clock)  # a 100 s window
    return limiter, clock


def test_the_counter_weighs_the_previous_window_by_what_still_slides_inside(counter):
    limiter, clock = counter
    clock.now = 10.0
    assert all(limiter.acquire("k") == 0.0 for _ in range(10))  # 10 calls early in window 0
    assert limiter.remaining("k") == 0
    # In window 0 nothing frees before window 1; there the 10 count for what is left of them.
    assert limiter.wait_time("k") == pytest.approx(90 + 10)  # 100 s on: 10 * (1 - 0.1) + 0 <= 9
    clock.now = 150.0  # half way into window 1: the previous 10 weigh 5
    assert limiter.remaining("k") == 5
    assert [limiter.acquire("k") for _ in range(5)] == [0.0] * 5
    assert limiter.remaining("k") == 0
    # 10 * (1 - into) + 5 <= 9 once into >= 0.6, i.e. at 160 s.
    assert limiter.wait_time("k") == pytest.approx(10.0)
    clock.now = 160.0
    assert limiter.acquire("k") == 0.0
    clock.now = 200.0  # window 2: only window 1's 6 calls count, fully at its start
    assert limiter.remaining("k") == 4


def test_the_counter_keeps_a_block(counter):
    limiter, clock = counter
    limiter.block("k", 30)
    assert limiter.acquire("k") == pytest.approx(30)
    clock.now += 30
    assert limiter.acquire("k") == 0.0


@pytest.mark.django_db
def test_the_database_cache_counts_too(settings):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {"default": LOCMEM, "budget": DATABASE_CACHE}
    call_command("createcachetable", "--database", "default", verbosity=0)
    limiter = CacheRateLimiter(caches["budget"], 3, 10)
    assert [limiter.acquire("k") for _ in range(3)] == [0.0] * 3
    assert limiter.remaining("k") == 0 and limiter.acquire("k") > 0


def test_w021_when_the_cache_cannot_count_atomically(settings):
    settings.CACHES = {
        "default": LOCMEM,
        "files": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/tl-w021",
        },
        "database": DATABASE_CACHE,
    }
    for alias in ("files", "database"):
        found = [
            m
            for m in run_checks_for({**settings.TEAMLEADER, "RATE_LIMIT": {"CACHE": alias}})
            if m.id.startswith("teamleader.W02")
        ]
        assert [m.id for m in found] == ["teamleader.W021"]
        assert "overspend the budget" in found[0].msg and "Memcached" in found[0].hint


def run_checks_for(value):
    with override_settings(TEAMLEADER=value):
        return run_checks(tags=["teamleader"])


@pytest.mark.django_db
def test_get_client_spends_the_shared_budget_and_reads_the_reports(budget, settings, rsps):
    settings.CACHES = {"default": LOCMEM}
    TeamleaderTokenFactory(teamleader_account_id="acc-1")
    limiter = budget(CALLS=5, PERIOD=60)
    rsps.add(
        responses.POST,
        f"{API}/users.me",
        json={"data": {"id": "u"}},
        headers={
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "1",
            "X-RateLimit-Reset": "2030-01-01T00:00:00Z",
        },
    )
    client = get_client()
    assert client.rate_limiter is limiter
    assert client.budget_key() == "test-client-id:acc-1"  # the integration and the connected account
    client.call("users.me")
    assert limiter.remaining("test-client-id:acc-1") == 1  # Teamleader counted more than this site did


@pytest.mark.django_db(transaction=True)
def test_after_connecting_the_connecting_process_spends_the_accounts_budget(
    budget, settings, teamleader_sandbox
):
    from teamleader.django.client import get_oauth_handler
    from teamleader.django.connect import complete_authorization

    settings.CACHES = {"default": LOCMEM}
    budget(CALLS=50, PERIOD=60)
    handler = get_oauth_handler()
    url = handler.get_authorization_url()
    complete_authorization(
        handler,
        teamleader_sandbox.approve(handler.redirect_uri, url.state),
        expected_state=url.state,
        connected_by="t",
    )
    account = get_token_backend().read().account_id
    assert account
    assert get_client().budget_key() == f"test-client-id:{account}"  # not the "unknown account" budget
