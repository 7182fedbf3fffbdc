"""The admin's "Connect to Teamleader" flow: start, Teamleader's answer, the callback.

Teamleader is the offline sandbox (``teamleader_sandbox`` intercepts its real URLs);
the browser is Django's test client.
"""

from __future__ import annotations

import time
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from teamleader.django import admin_views, connect, oauth_state
from teamleader.django.models import TeamleaderToken

from ..factories import TeamleaderTokenFactory
from .admin_helpers import CALLBACK, CONNECT, STATUS, assert_no_secrets, messages_of, query_of

pytestmark = pytest.mark.django_db

CALLBACK_URI = f"http://testserver{CALLBACK}"
AUTHORIZE = "https://focus.teamleader.eu/oauth2/authorize"


def start(client: Client, authorize: str = AUTHORIZE) -> dict[str, str]:
    """Press Connect; the query of the authorize URL the admin redirects to."""
    response = client.post(CONNECT)
    assert response.status_code == 302
    assert response["Location"].startswith(authorize + "?")
    return query_of(response["Location"])


def come_back(client: Client, url: str) -> Any:
    """The browser arriving at Teamleader's redirect ``url`` (path and query are what matter)."""
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}", follow=True)


# -- starting ------------------------------------------------------------------------------------
def test_connect_redirects_to_teamleader_with_a_fresh_state_and_the_callback_url(admin_client):
    first = start(admin_client)
    assert first["client_id"] == "test-client-id" and first["response_type"] == "code"
    assert first["redirect_uri"] == CALLBACK_URI
    assert len(first["state"]) >= 43  # secrets.token_urlsafe(32)
    assert admin_client.session[oauth_state.SESSION_KEY]["state"] == first["state"]
    second = start(admin_client)
    assert second["state"] != first["state"]
    assert admin_client.session[oauth_state.SESSION_KEY]["state"] == second["state"]


def test_connect_sends_admin_redirect_uri_when_set(admin_client, settings, teamleader_sandbox):
    uri = "https://crm.example.com/admin/teamleader_django/teamleadertoken/callback/"
    settings.TEAMLEADER = {**settings.TEAMLEADER, "ADMIN_REDIRECT_URI": uri}
    params = start(admin_client)
    assert params["redirect_uri"] == uri
    # The code is bound to that URI; the exchange sends it again and Teamleader accepts.
    response = come_back(admin_client, teamleader_sandbox.approve(uri, params["state"]))
    assert messages_of(response)[0][0] == "success"
    assert teamleader_sandbox.stats["code_grants"] == 1


def test_connect_needs_the_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(CONNECT).status_code == 403
    assert oauth_state.SESSION_KEY not in client.session
    token = client.get(STATUS).context["csrf_token"]
    response = client.post(CONNECT, {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302 and response["Location"].startswith(AUTHORIZE)


# -- coming back -----------------------------------------------------------------------------------
def test_approving_stores_the_token_and_who_connected(admin_client, admin_user, teamleader_sandbox):
    params = start(admin_client)
    # The admin finishes through the service teamleader_setup uses; it has no OAuth code of its own.
    assert admin_views.complete_authorization is connect.complete_authorization
    with mock.patch.object(
        admin_views, "complete_authorization", wraps=connect.complete_authorization
    ) as service:
        response = come_back(
            admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"])
        )
    service.assert_called_once()
    row = TeamleaderToken.objects.get()
    me = teamleader_sandbox.me
    assert row.connected_by == admin_user.get_username() == "admin"
    assert (row.teamleader_user_name, row.teamleader_user_email) == (
        f"{me['first_name']} {me['last_name']}",
        me["email"],
    )
    assert row.scopes == ["contacts", "companies", "deals", "users"]
    assert row.connected_at is not None and row.refreshed_at is None
    assert response.request["PATH_INFO"] == STATUS
    expires = timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    assert messages_of(response) == [
        (
            "success",
            f"Connected to Teamleader as {me['first_name']} {me['last_name']} <{me['email']}>. "
            f"The access token expires at {expires} and is refreshed automatically.",
        )
    ]
    assert oauth_state.SESSION_KEY not in admin_client.session
    assert LogEntry.objects.get().action_flag == CHANGE
    assert_no_secrets([response], row.access_token, row.refresh_token)


def test_without_the_users_scope_the_message_says_who_is_unknown(admin_client, settings, teamleader_sandbox):
    settings.TEAMLEADER = {**settings.TEAMLEADER, "SCOPES": ["contacts", "deals"]}
    params = start(admin_client)
    response = come_back(admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"]))
    [(level, text)] = messages_of(response)
    assert level == "success"
    assert text.startswith(
        'Connected to Teamleader (could not tell who connected: add the "users" scope to see who connected). '
        "The access token expires at "
    )
    assert "Unknown (needs the &ldquo;users&rdquo; scope)" in response.content.decode()
    assert TeamleaderToken.objects.get().scopes == ["contacts", "deals"]


def test_reconnecting_replaces_the_tokens(admin_client, teamleader_sandbox):
    old = TeamleaderTokenFactory(connected_by="someone else")
    params = start(admin_client)
    come_back(admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"]))
    row = TeamleaderToken.objects.get()
    assert row.access_token != old.access_token and row.connected_by == "admin"


def test_a_replayed_callback_does_nothing(admin_client, teamleader_sandbox):
    params = start(admin_client)
    url = teamleader_sandbox.approve(params["redirect_uri"], params["state"])
    come_back(admin_client, url)
    stored = TeamleaderToken.objects.get().access_token
    teamleader_sandbox.reset_stats()

    response = come_back(admin_client, url)
    [(level, text)] = messages_of(response)
    assert level == "error" and "was not expected" in text and "Nothing was stored" in text
    assert TeamleaderToken.objects.get().access_token == stored
    assert teamleader_sandbox.stats["code_grants"] == teamleader_sandbox.stats["rejected_codes"] == 0


def test_a_forged_state_is_refused_without_calling_teamleader(admin_client, teamleader_sandbox):
    params = start(admin_client)
    forged = teamleader_sandbox.approve(params["redirect_uri"], "forged-" + params["state"][7:])
    response = come_back(admin_client, forged)
    [(level, text)] = messages_of(response)
    assert level == "error" and "state does not match" in text
    assert not TeamleaderToken.objects.exists()
    assert teamleader_sandbox.stats["code_grants"] == teamleader_sandbox.stats["rejected_codes"] == 0
    # The attempt is used up: the genuine answer arriving afterwards is refused too.
    come_back(admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"]))
    assert not TeamleaderToken.objects.exists()


def test_a_callback_without_any_connect_is_refused(admin_client, teamleader_sandbox):
    response = come_back(admin_client, teamleader_sandbox.approve(CALLBACK_URI, "made-up-state"))
    assert "was not expected" in messages_of(response)[0][1]
    assert not TeamleaderToken.objects.exists()
    assert teamleader_sandbox.stats["code_grants"] == 0


def test_an_expired_attempt_is_refused(admin_client, teamleader_sandbox):
    params = start(admin_client)
    session = admin_client.session
    session[oauth_state.SESSION_KEY]["started_at"] = time.time() - oauth_state.MAX_AGE - 1
    session.save()
    response = come_back(admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"]))
    [(level, text)] = messages_of(response)
    assert level == "error" and "expired" in text
    assert not TeamleaderToken.objects.exists()
    assert teamleader_sandbox.stats["code_grants"] == 0


def test_access_denied_is_reported(admin_client, teamleader_sandbox):
    params = start(admin_client)
    response = come_back(admin_client, teamleader_sandbox.deny(params["redirect_uri"], params["state"]))
    assert messages_of(response) == [
        ("warning", "Access was denied on Teamleader's authorisation page; nothing was stored.")
    ]
    assert not TeamleaderToken.objects.exists()


def test_a_callback_without_a_code_is_reported(admin_client, teamleader_sandbox):
    params = start(admin_client)
    response = admin_client.get(CALLBACK, {"state": params["state"]}, follow=True)
    assert messages_of(response) == [
        ("error", "The callback carries no authorization code; nothing was stored.")
    ]
    assert not TeamleaderToken.objects.exists()


def test_a_refused_code_is_reported_in_plain_words(admin_client, teamleader_sandbox):
    params = start(admin_client)
    response = admin_client.get(
        CALLBACK, {"state": params["state"], "code": "def50200-not-a-code"}, follow=True
    )
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text.startswith(
        "Teamleader refused the authorization code (HTTP 400, invalid_grant: The authorization code is invalid)."
    )
    assert not TeamleaderToken.objects.exists()


def test_network_trouble_on_the_exchange_is_reported(admin_client, teamleader_sandbox, settings):
    settings.TEAMLEADER = {**settings.TEAMLEADER, "AUTH_BASE_URL": "https://auth.unreachable.invalid"}
    params = start(admin_client, "https://auth.unreachable.invalid/oauth2/authorize")
    code = teamleader_sandbox.authorize(params["redirect_uri"])
    response = admin_client.get(CALLBACK, {"state": params["state"], "code": code}, follow=True)
    [(level, text)] = messages_of(response)
    assert (level, text) == (
        "error",
        "Could not reach Teamleader's token endpoint (ConnectionError, "
        "authorization_code grant); try again later.",
    )
    assert not TeamleaderToken.objects.exists()


def test_only_users_who_may_change_the_connection_can_complete_it(django_user_model, teamleader_sandbox):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_teamleadertoken"))
    client = Client()
    client.force_login(viewer)
    url = teamleader_sandbox.approve(CALLBACK_URI, "whatever")
    parts = urlsplit(url)
    assert client.get(f"{parts.path}?{parts.query}").status_code == 403
    assert not TeamleaderToken.objects.exists()


def test_the_whole_flow_never_shows_a_token_or_the_secret(admin_client, teamleader_sandbox):
    pages = [admin_client.post(CONNECT)]
    params = query_of(pages[0]["Location"])
    pages.append(come_back(admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"])))
    row = TeamleaderToken.objects.get()
    for url in (
        STATUS,
        "/admin/",
        f"{STATUS}{row.pk}/history/",
        f"{STATUS}{row.pk}/change/",
        f"{STATUS}disconnect/",
    ):
        pages.append(admin_client.get(url, follow=True))
    pages.append(admin_client.post(f"{STATUS}test/", follow=True))
    assert all(page.status_code == 200 for page in pages[1:])
    assert row.masked_access_token in pages[2].content.decode()
    assert_no_secrets(pages, row.access_token, row.refresh_token)
