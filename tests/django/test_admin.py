"""The Teamleader connection admin: status page, permissions, Test connection, Disconnect.

The OAuth buttons (connect and callback) are tested in ``test_admin_oauth.py``; both
use the helpers in ``admin_helpers.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teamleader.django import get_client
from teamleader.django.client import get_token_backend
from teamleader.django.models import TeamleaderToken
from teamleader.exceptions import TeamleaderAuthExpiredError

from ..factories import TeamleaderTokenFactory
from .admin_helpers import (
    CALLBACK,
    CONNECT,
    DISCONNECT,
    STATUS,
    TEST,
    assert_no_secrets,
    messages_of,
)

pytestmark = pytest.mark.django_db


# -- the status page -----------------------------------------------------------------------
def test_status_page_without_a_row_says_not_connected(admin_client):
    response = admin_client.get(STATUS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not connected" in page
    assert "Connect to Teamleader</button>" in page
    assert 'id="teamleader-test"' not in page and 'id="teamleader-disconnect"' not in page
    # The exact URI to whitelist in the Marketplace app: the absolute callback URL.
    assert f"http://testserver{CALLBACK}</code>" in page


def test_status_page_shows_the_connection_with_tokens_masked(admin_client):
    row = TeamleaderTokenFactory(connected_by="alice", scopes=["contacts", "users"])
    response = admin_client.get(STATUS)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Reconnect</button>" in page and "Connect to Teamleader</button>" not in page
    assert 'id="teamleader-test"' in page and 'id="teamleader-disconnect"' in page
    assert "Ada Lovelace &lt;ada@example.com&gt;" in page
    assert "alice" in page and "contacts, users" in page
    assert "Not since connecting" in page
    assert timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M:%S %Z") in page
    assert f"<code>{row.masked_access_token}</code>" in page and row.masked_access_token.endswith("…")
    assert f"<code>{row.masked_refresh_token}</code>" in page
    assert_no_secrets([response], row.access_token, row.refresh_token)


def test_status_page_shows_the_last_refresh_and_an_expired_token(admin_client):
    refreshed = timezone.now()
    TeamleaderTokenFactory(expired=True, refreshed_at=refreshed)
    page = admin_client.get(STATUS).content.decode()
    assert timezone.localtime(refreshed).strftime("%Y-%m-%d %H:%M:%S %Z") in page
    assert "expired; it is refreshed on the next API call" in page


def test_status_page_shows_admin_redirect_uri_when_set(admin_client, settings):
    uri = "https://crm.example.com/admin/teamleader_django/teamleadertoken/callback/"
    settings.TEAMLEADER = {**settings.TEAMLEADER, "ADMIN_REDIRECT_URI": uri}
    page = admin_client.get(STATUS).content.decode()
    assert f'<code id="teamleader-redirect-uri">{uri}</code>' in page
    assert "testserver" not in page


ADD = reverse("admin:teamleader_django_teamleadertoken_add")


def test_adding_is_disabled_and_the_change_page_is_the_status_page(admin_client):
    row = TeamleaderTokenFactory()
    assert admin_client.post(ADD, {"access_token": "typed-in"}).status_code == 302
    assert TeamleaderToken.objects.get().access_token == row.access_token  # nothing was added
    assert (
        admin_client.post(
            reverse("admin:teamleader_django_teamleadertoken_delete", args=[row.pk])
        ).status_code
        == 403
    )
    change = admin_client.get(reverse("admin:teamleader_django_teamleadertoken_change", args=[row.pk]))
    assert change.status_code == 302 and change["Location"] == STATUS
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert STATUS in index and ADD not in index
    assert (
        admin_client.get(
            reverse("admin:teamleader_django_teamleadertoken_history", args=[row.pk])
        ).status_code
        == 200
    )


@pytest.mark.parametrize("state", ["not connected", "connected", "refresh token refused"])
def test_the_add_url_leads_to_the_status_page_whatever_the_connection(admin_client, teamleader_sandbox, state):
    if state != "not connected":
        TeamleaderTokenFactory(**_sandbox_tokens(teamleader_sandbox), expired=True)
    if state == "refresh token refused":
        teamleader_sandbox.revoke_tokens()  # the integration was removed in Teamleader
        with pytest.raises(TeamleaderAuthExpiredError):
            get_client().users.me()
        assert get_token_backend().read().needs_reauthorization
    response = admin_client.get(ADD)
    assert (response.status_code, response["Location"]) == (302, STATUS)
    page = admin_client.get(ADD, follow=True).content.decode()
    assert "Teamleader connection" in page and "403" not in page
    button = "Connect to Teamleader</button>" if state == "not connected" else "Reconnect</button>"
    assert button in page  # the way out is on the page the URL leads to


def test_the_add_url_still_needs_a_staff_login():
    response = Client().get(ADD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_status_and_disconnect_with_a_token_backend_outside_the_database(admin_client, settings):
    settings.TEAMLEADER = {
        **settings.TEAMLEADER,
        "TOKEN_BACKEND": "teamleader.token_backends.MemoryTokenBackend",
    }
    backend = get_token_backend()
    token = TeamleaderTokenFactory.build().to_token()
    backend.save(token)
    backend.update(user_name="Grace Hopper", user_email="grace@example.com", connected_by="ops")
    page = admin_client.get(STATUS).content.decode()
    assert "Connected" in page and "Not connected" not in page
    assert "MemoryTokenBackend" in page
    assert "Grace Hopper &lt;grace@example.com&gt;" in page and "ops" in page
    assert f"<code>{token.access_token[:4]}…</code>" in page and token.access_token not in page
    assert not TeamleaderToken.objects.exists()  # nothing went to the table
    assert admin_client.get(DISCONNECT).status_code == 200
    admin_client.post(DISCONNECT)
    assert backend.read() is None


# -- permissions ---------------------------------------------------------------------------
@pytest.mark.parametrize("url", [STATUS, DISCONNECT, CALLBACK + "?code=c&state=s"])
def test_anonymous_get_goes_to_the_login_page(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


@pytest.mark.parametrize("url", [CONNECT, TEST, DISCONNECT])
def test_anonymous_post_goes_to_the_login_page_and_changes_nothing(url):
    row = TeamleaderTokenFactory()
    response = Client().post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert TeamleaderToken.objects.get().access_token == row.access_token


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", STATUS),
        ("post", CONNECT),
        ("get", CALLBACK),
        ("post", TEST),
        ("get", DISCONNECT),
        ("post", DISCONNECT),
    ],
)
def test_staff_without_permission_is_refused(staff_client, method, url):
    TeamleaderTokenFactory()
    assert getattr(staff_client(), method)(url).status_code == 403
    assert TeamleaderToken.objects.exists()


def test_view_only_staff_sees_the_status_but_cannot_connect_or_disconnect(staff_client, teamleader_sandbox):
    TeamleaderTokenFactory(**_sandbox_tokens(teamleader_sandbox))
    client = staff_client("view")
    page = client.get(STATUS).content.decode()
    assert "Connected" in page and "Ada Lovelace" in page
    assert (
        "teamleader-connect" not in page and "Reconnect" not in page and "teamleader-disconnect" not in page
    )
    assert client.post(CONNECT).status_code == 403
    assert client.get(DISCONNECT).status_code == 403 and client.post(DISCONNECT).status_code == 403
    # Testing changes nothing, so the view permission is enough.
    response = client.post(TEST, follow=True)
    assert messages_of(response)[0][0] == "success"
    assert TeamleaderToken.objects.exists()


def test_staff_with_change_permission_sees_the_buttons(staff_client):
    TeamleaderTokenFactory()
    page = staff_client("change").get(STATUS).content.decode()
    assert "Reconnect</button>" in page and 'id="teamleader-disconnect"' in page


def test_get_is_refused_on_post_only_buttons(admin_client):
    assert admin_client.get(CONNECT).status_code == 405
    assert admin_client.get(TEST).status_code == 405


# -- Test connection -------------------------------------------------------------------------
def _sandbox_tokens(sandbox: Any) -> dict[str, Any]:
    token = sandbox.issue_token_object()
    return {
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "expires_at": token.expires_at,
    }


def test_test_connection_reports_who_teamleader_answered_as(admin_client, teamleader_sandbox):
    tokens = _sandbox_tokens(teamleader_sandbox)
    TeamleaderTokenFactory(**tokens)
    me = teamleader_sandbox.me
    response = admin_client.post(TEST, follow=True)
    assert messages_of(response) == [
        (
            "success",
            f"The connection works: Teamleader answered as {me['first_name']} {me['last_name']} "
            f"<{me['email']}>.",
        )
    ]
    assert_no_secrets([response], tokens["access_token"], tokens["refresh_token"])


def test_test_connection_reports_a_revoked_connection_in_plain_words(
    admin_client, teamleader_sandbox, caplog
):
    tokens = _sandbox_tokens(teamleader_sandbox)
    TeamleaderTokenFactory(**tokens)
    teamleader_sandbox.revoke_tokens()  # the user uninstalled the integration
    response = admin_client.post(TEST, follow=True)
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text.startswith(
        "The connection does not work: Teamleader no longer accepts this site's refresh token (HTTP 400, "
        "invalid_grant: The refresh token is invalid): the integration was removed or authorised again in "
        "Teamleader, or the token was already used."
    )
    assert text.endswith('click "Reconnect" on the Teamleader connection page of the Django admin.')
    assert "`" not in text and "<" not in text
    # The test updated the stored state: the page says so, in red, with the date and the reason.
    page = response.content.decode()
    assert "Needs reconnecting</strong> since" in page and "Connected\n" not in page
    assert "the integration was removed or authorised again in Teamleader" in page
    assert_no_secrets([response], tokens["access_token"], tokens["refresh_token"])
    assert [r.levelname for r in caplog.records if r.name == "teamleader"] == ["ERROR"]


def test_test_connection_tries_a_refused_token_once_more_and_clears_a_mistaken_state(
    admin_client, teamleader_sandbox
):
    TeamleaderTokenFactory(
        **_sandbox_tokens(teamleader_sandbox),
        status="reauthorization_needed",
        problem="refused",
        expired=True,
    )
    [(level, text)] = messages_of(admin_client.post(TEST, follow=True))
    assert level == "success" and text.startswith("The connection works")
    assert TeamleaderToken.objects.get().status == "connected"
    assert teamleader_sandbox.stats["refresh_grants"] == 1


def test_a_lost_connection_shows_on_the_admin_index_until_reconnected(admin_client, teamleader_sandbox):
    TeamleaderTokenFactory(**_sandbox_tokens(teamleader_sandbox))
    assert 'id="teamleader-notice"' not in admin_client.get(reverse("admin:index")).content.decode()
    TeamleaderToken.objects.update(
        status="reauthorization_needed", problem="refused", problem_at=timezone.now()
    )
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="teamleader-notice"' in index and "Teamleader needs reconnecting since" in index
    assert f'href="{STATUS}"' in index and "&ldquo;Reconnect&rdquo;" in index


def test_a_view_only_user_is_told_whom_to_ask_not_to_click(django_user_model):
    from django.contrib.auth.models import Permission

    TeamleaderTokenFactory(status="reauthorization_needed", problem="refused", problem_at=timezone.now())
    user = django_user_model.objects.create_user("viewer", password="unused", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_teamleadertoken"))
    client = Client()
    client.force_login(user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Teamleader needs reconnecting since" in index
    assert "Ask someone allowed to change the Teamleader connection to reconnect it." in index
    assert "&ldquo;Reconnect&rdquo;" not in index


def test_the_admin_index_notice_needs_the_view_permission(django_user_model):
    TeamleaderTokenFactory(status="reauthorization_needed", problem="refused", problem_at=timezone.now())
    user = django_user_model.objects.create_user("clerk", password="unused", is_staff=True)
    client = Client()
    client.force_login(user)
    assert 'id="teamleader-notice"' not in client.get(reverse("admin:index")).content.decode()


def test_test_connection_reports_network_trouble(admin_client, teamleader_sandbox, settings):
    TeamleaderTokenFactory(**_sandbox_tokens(teamleader_sandbox))
    # Nothing answers there: the sandbox's mock lets no request out.
    settings.TEAMLEADER = {**settings.TEAMLEADER, "API_BASE_URL": "https://api.unreachable.invalid"}
    [(level, text)] = messages_of(admin_client.post(TEST, follow=True))
    assert (level, text) == (
        "error",
        "users.me: could not reach Teamleader at https://api.unreachable.invalid (ConnectionError). "
        "Nothing was changed; try again in a minute.",
    )


# -- Disconnect ------------------------------------------------------------------------------
def test_disconnect_asks_first_then_clears_the_tokens(admin_client, admin_user):
    row = TeamleaderTokenFactory()
    confirm = admin_client.get(DISCONNECT)
    assert confirm.status_code == 200
    assert 'value="Yes, disconnect"' in confirm.content.decode()
    assert TeamleaderToken.objects.exists()  # the GET changed nothing

    response = admin_client.post(DISCONNECT, follow=True)
    assert not TeamleaderToken.objects.exists()
    assert messages_of(response)[0][0] == "success"
    assert "Not connected" in response.content.decode()
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.user_id, entry.object_id) == (DELETION, admin_user.pk, str(row.pk))
    assert_no_secrets([confirm, response], row.access_token, row.refresh_token)


def test_disconnect_when_not_connected_says_so(admin_client):
    for method in ("get", "post"):
        response = getattr(admin_client, method)(DISCONNECT, follow=True)
        assert messages_of(response) == [
            ("info", "Teamleader is not connected; there is nothing to disconnect.")
        ]


def test_disconnect_needs_the_csrf_token(admin_user):
    TeamleaderTokenFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(DISCONNECT).status_code == 403
    assert TeamleaderToken.objects.exists()
