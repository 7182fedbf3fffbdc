"""get_client(): configured from settings, cheap, always on the newest stored token."""

from __future__ import annotations

import json
import threading

import pytest
import responses
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from teamleader import TeamleaderAuthError, TeamleaderAuthExpiredError, TeamleaderClient
from teamleader.django import get_client
from teamleader.django.models import TeamleaderToken
from teamleader.django.token_store import DatabaseTokenBackend

from ..conftest import TOKEN_URL
from ..factories import TeamleaderTokenFactory

pytestmark = pytest.mark.django_db
API = "https://api.focus.teamleader.eu"


def test_get_client_is_configured_from_settings():
    client = get_client()
    assert isinstance(client, TeamleaderClient)
    assert client.api_base_url == API
    assert client.timeout == 30
    oauth = client.oauth
    assert (oauth.client_id, oauth.redirect_uri, oauth.scopes) == (
        "test-client-id",
        "http://localhost:9999/callback",
        ("contacts", "companies", "deals", "users"),
    )
    assert oauth.auth_base_url == "https://focus.teamleader.eu"
    assert isinstance(oauth.token_backend, DatabaseTokenBackend)


def test_settings_changes_reach_the_next_client():
    first = get_client()
    assert get_client() is first  # one per thread, reused
    with override_settings(
        TEAMLEADER={
            "CLIENT_ID": "other",
            "CLIENT_SECRET": "s",
            "REDIRECT_URI": "http://localhost:9999/callback",
            "SCOPES": ["contacts"],
            "AUTH_BASE_URL": "http://127.0.0.1:8765",
            "API_BASE_URL": "http://127.0.0.1:8765",
            "TIMEOUT": 4,
        }
    ):
        second = get_client()
        assert second is not first
        assert (second.api_base_url, second.timeout, second.oauth.client_id) == (
            "http://127.0.0.1:8765",
            4,
            "other",
        )
        assert second.oauth.token_url == "http://127.0.0.1:8765/oauth2/access_token"
    assert get_client().oauth.client_id == "test-client-id"


def test_a_settings_change_closes_the_old_client(settings):
    old = get_client()
    settings.TEAMLEADER = {**settings.TEAMLEADER, "TIMEOUT": 5}
    assert get_client() is not old
    assert old.closed


def test_each_thread_gets_its_own_client():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(get_client()))
    thread.start()
    thread.join()
    assert seen[0] is not get_client()


def test_a_closed_client_is_replaced():
    with get_client() as client:
        pass
    assert get_client() is not client


def test_a_valid_token_costs_one_query_and_no_write(rsps):
    row = TeamleaderTokenFactory()
    rsps.add(responses.POST, f"{API}/contacts.list", json={"data": []})
    client = get_client()
    with CaptureQueriesContext(connection) as queries:
        client.call("contacts.list")
    assert len(queries) == 1
    assert queries.captured_queries[0]["sql"].upper().startswith("SELECT")
    assert rsps.calls[0].request.headers["Authorization"] == f"Bearer {row.access_token}"


def test_with_the_rate_budget_on_a_call_still_costs_one_query_and_no_write(rsps, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "q"}}
    settings.TEAMLEADER = {**settings.TEAMLEADER, "RATE_LIMIT": {"CALLS": 200, "PERIOD": 60}}
    TeamleaderTokenFactory()
    rsps.add(responses.POST, f"{API}/contacts.list", json={"data": []})
    client = get_client()
    client.call("contacts.list")  # the first call also reads which account the budget is for
    with CaptureQueriesContext(connection) as queries:
        client.call("contacts.list")
    assert [q["sql"].split()[0].upper() for q in queries.captured_queries] == ["SELECT"]


def test_every_call_uses_the_newest_stored_token(rsps):
    TeamleaderTokenFactory(access_token="first-access-token-" + "x" * 20)
    rsps.add(responses.POST, f"{API}/users.me", json={"data": {"id": "u"}})
    client = get_client()
    client.call("users.me")
    # Another worker rotates the pair: this process's client must not keep the old one.
    TeamleaderToken.objects.filter(pk=1).update(access_token="second-access-token-" + "y" * 20)
    client.call("users.me")
    assert [c.request.headers["Authorization"] for c in rsps.calls] == [
        "Bearer first-access-token-" + "x" * 20,
        "Bearer second-access-token-" + "y" * 20,
    ]


def test_not_connected_says_to_run_setup(rsps):
    with pytest.raises(TeamleaderAuthError, match="teamleader_setup"):
        get_client().call("users.me")
    assert len(rsps.calls) == 0


@pytest.mark.django_db(transaction=True)
def test_revoked_refresh_token_tells_the_user_to_rerun_setup_and_keeps_the_row(rsps):
    row = TeamleaderTokenFactory(expired=True)
    rsps.add(responses.POST, TOKEN_URL, status=400, body=json.dumps({"error": "invalid_grant"}))
    with pytest.raises(TeamleaderAuthExpiredError) as info:
        get_client().call("users.me")
    assert 'Connect again: run "python manage.py teamleader_setup", or click "Reconnect"' in str(info.value)
    stored = TeamleaderToken.objects.get()
    assert (stored.access_token, stored.refresh_token) == (row.access_token, row.refresh_token)
    assert (stored.status, stored.problem_at is not None) == ("reauthorization_needed", True)
    assert "invalid_grant" in stored.problem
    # The dead refresh token is never sent again: the next call fails at once, with the same advice.
    with pytest.raises(TeamleaderAuthExpiredError, match="teamleader_setup"):
        get_client().call("users.me")
    assert [c.request.url for c in rsps.calls] == [TOKEN_URL]


@pytest.mark.django_db(transaction=True)
def test_expired_token_is_refreshed_and_both_tokens_saved(rsps):
    row = TeamleaderTokenFactory(expired=True)
    rsps.add(
        responses.POST,
        TOKEN_URL,
        json={
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": "N" * 40,
            "refresh_token": "M" * 40,
        },
    )
    rsps.add(responses.POST, f"{API}/users.me", json={"data": {"id": "u"}})
    get_client().call("users.me")
    stored = TeamleaderToken.objects.get()
    assert (stored.access_token, stored.refresh_token) == ("N" * 40, "M" * 40)
    assert stored.refreshed_at is not None
    assert stored.teamleader_user_name == row.teamleader_user_name
    assert rsps.calls[1].request.headers["Authorization"] == "Bearer " + "N" * 40


@pytest.mark.django_db(transaction=True)
def test_a_site_without_time_zones_refreshes_and_stores_naive_local_times(rsps, settings, admin_client):
    """USE_TZ = False: Django stores naive local times; the aware expiry must not be refused."""
    import datetime as dt

    from django.utils import timezone

    settings.USE_TZ = False
    TeamleaderToken.objects.create(
        access_token="A" * 40, refresh_token="R" * 40, expires_at=dt.datetime.now() - dt.timedelta(minutes=5)
    )
    rsps.add(
        responses.POST,
        TOKEN_URL,
        json={
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": "N" * 40,
            "refresh_token": "M" * 40,
        },
    )
    rsps.add(responses.POST, f"{API}/users.me", json={"data": {"id": "u"}})
    get_client().call("users.me")
    row = TeamleaderToken.objects.get()
    assert (row.access_token, row.refresh_token) == ("N" * 40, "M" * 40)
    assert timezone.is_naive(row.expires_at)
    assert (
        59 <= (row.to_token().expires_at - timezone.make_aware(dt.datetime.now())).total_seconds() / 60 <= 60
    )
    assert not row.to_token().is_expired()
    assert admin_client.get("/admin/teamleader_django/teamleadertoken/").status_code == 200
