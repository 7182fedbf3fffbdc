"""The rate budget on the site's cache: settings, the shared window, and the check that it is shared."""

from __future__ import annotations

import pytest
import responses
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from teamleader.django import get_client
from teamleader.django.rate_limit import CacheRateLimiter, get_rate_limiter
from teamleader.rate_limiter import WINDOW_MARGIN, LimitsRateLimiter

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


@pytest.mark.django_db
@pytest.mark.parametrize("cache", [LOCMEM, DATABASE_CACHE], ids=["locmem", "database"])
def test_the_cache_window_slides_and_waits(settings, cache, django_db_blocker):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {"default": LOCMEM, "budget": cache}
    if cache is DATABASE_CACHE:
        call_command("createcachetable", "--database", "default", verbosity=0)
    limiter = CacheRateLimiter(caches["budget"], 3, 10)
    assert [limiter.acquire("k") for _ in range(3)] == [0.0] * 3
    assert limiter.remaining("k") == 0
    assert 0 < limiter.acquire("k") <= 2 * (10 + WINDOW_MARGIN)
    limiter.block("j", 30)
    assert 29 < limiter.acquire("j") <= 30


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
