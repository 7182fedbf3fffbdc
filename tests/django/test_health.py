"""Connection health: a revoked refresh token is noticed once, shown everywhere, and cleared by connecting again."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.management import CommandError, call_command

from teamleader import TeamleaderAuthExpiredError
from teamleader.connection import CONNECTED, REAUTHORIZATION_NEEDED
from teamleader.django import get_client
from teamleader.django.client import get_oauth_handler, get_token_backend
from teamleader.django.connect import complete_authorization, disconnect
from teamleader.django.models import TeamleaderToken
from teamleader.django.signals import (
    teamleader_connected,
    teamleader_connection_lost,
    teamleader_disconnected,
    teamleader_token_refreshed,
)

from ..factories import TeamleaderTokenFactory
from .admin_helpers import STATUS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def received():
    """Every health signal sent during the test: ``[(name, record)]``."""
    seen: list[tuple[str, object]] = []
    receivers = []
    for name, signal in (
        ("connected", teamleader_connected),
        ("refreshed", teamleader_token_refreshed),
        ("lost", teamleader_connection_lost),
        ("disconnected", teamleader_disconnected),
    ):

        def on_signal(sender, record, _name=name, **kwargs):
            seen.append((_name, record))

        signal.connect(on_signal, weak=False)
        receivers.append((signal, on_signal))
    yield seen
    for signal, fn in receivers:
        signal.disconnect(fn)


def status(*args: str) -> tuple[int, str]:
    """Run teamleader_status; its exit status and what it printed."""
    out = io.StringIO()
    try:
        call_command("teamleader_status", *args, stdout=out)
    except SystemExit as exit:
        return int(exit.code), out.getvalue()
    return 0, out.getvalue()


def connect(teamleader_sandbox) -> None:
    handler = get_oauth_handler()
    url = handler.get_authorization_url()
    callback = teamleader_sandbox.approve(handler.redirect_uri, url.state)
    complete_authorization(handler, callback, expected_state=url.state, connected_by="ops")


def test_a_revoked_refresh_token_is_noticed_once_shown_and_cleared_by_connecting_again(
    teamleader_sandbox, received, caplog, admin_client
):
    connect(teamleader_sandbox)
    assert [name for name, _ in received] == ["connected"]
    code, text = status()
    assert code == 0 and "Teamleader: connected" in text and "Connected as Sofie Peeters" in text

    teamleader_sandbox.revoke_tokens()  # the integration was removed in Teamleader
    teamleader_sandbox.expire_access_tokens()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="teamleader"):
        for _ in range(3):  # three calls fail; only the first sends the refresh token
            with pytest.raises(TeamleaderAuthExpiredError):
                get_client().call("users.me")
    assert teamleader_sandbox.stats["rejected_refreshes"] == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "teamleader"]
    assert len(errors) == 1 and errors[0].getMessage().startswith("Teamleader connection lost: ")
    assert [name for name, _ in received] == ["connected", "lost"]
    lost = received[1][1]
    assert lost.status == REAUTHORIZATION_NEEDED and "invalid_grant" in lost.problem

    record = get_token_backend().read()
    assert record.status == REAUTHORIZATION_NEEDED and record.problem_at is not None
    page = admin_client.get(STATUS).content.decode()
    assert "Needs reconnecting</strong> since" in page
    code, text = status()
    assert code == 1 and "Teamleader: needs reconnecting" in text and "Needs reconnecting since" in text

    connect(teamleader_sandbox)  # someone clicks Reconnect
    assert get_token_backend().read().status == CONNECTED
    assert status()[0] == 0
    assert "Needs reconnecting" not in admin_client.get(STATUS).content.decode()
    assert [name for name, _ in received] == ["connected", "lost", "connected"]


def test_after_the_refusal_calls_fail_without_sending_though_the_access_token_looks_valid(
    teamleader_sandbox, received
):
    connect(teamleader_sandbox)
    teamleader_sandbox.revoke_tokens()  # the access token is dead too, but its clock says an hour
    for _ in range(3):
        with pytest.raises(TeamleaderAuthExpiredError, match="no longer accepts this site's refresh token"):
            get_client().call("users.me")
    stats = teamleader_sandbox.stats
    assert (stats["unauthorized_calls"], stats["rejected_refreshes"]) == (1, 1)  # the first call only
    assert [name for name, _ in received] == ["connected", "lost"]

    connect(teamleader_sandbox)  # a new pair: calls go out again
    assert get_client().users.me().full_name == "Sofie Peeters"


def test_refreshes_and_disconnecting_are_announced(teamleader_sandbox, received):
    connect(teamleader_sandbox)
    teamleader_sandbox.expire_access_tokens()
    get_client().call("users.me")  # 401, refreshed once
    disconnect()
    assert [name for name, _ in received] == ["connected", "refreshed", "disconnected"]
    assert received[1][1].refreshed_at is not None
    assert received[2][1].user_name == "Sofie Peeters"  # what was stored
    assert status()[0] == 2


def test_status_as_json_for_monitoring_never_shows_a_token(teamleader_sandbox):
    code, text = status("--json")
    assert (code, json.loads(text)) == (2, {"status": "disconnected", "rate_budget": None})
    connect(teamleader_sandbox)
    code, text = status("--json", "--check")
    report = json.loads(text)
    row = TeamleaderToken.objects.get()
    assert code == 0
    assert report["status"] == "connected"
    assert report["user"] == {
        "id": row.teamleader_user_id,
        "name": "Sofie Peeters",
        "email": row.teamleader_user_email,
    }
    assert report["connected_by"] == "ops" and report["check"]["ok"] is True
    assert row.access_token not in text and row.refresh_token not in text


def test_status_check_updates_the_state(teamleader_sandbox):
    connect(teamleader_sandbox)
    teamleader_sandbox.revoke_tokens()
    assert status()[0] == 0  # nothing has tried the token yet
    code, text = status("--check")
    assert code == 1
    assert "Check: The connection does not work" in text
    assert get_token_backend().read().status == REAUTHORIZATION_NEEDED


def test_status_shows_the_rate_budget_left(teamleader_sandbox, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"}
    }
    settings.TEAMLEADER = {**settings.TEAMLEADER, "RATE_LIMIT": {"CALLS": 50, "PERIOD": 30}}
    connect(teamleader_sandbox)
    get_client().call("users.me")
    code, text = status()
    # users.me while connecting spent from the not-yet-known account; this call from the account's budget
    assert "Rate budget: 49 of 50 calls left in the last 30 s (cache 'default', this process only)" in text


def test_connection_status_reads_a_token_backend_outside_the_database(settings, teamleader_sandbox):
    settings.TEAMLEADER = {
        **settings.TEAMLEADER,
        "TOKEN_BACKEND": "teamleader.token_backends.MemoryTokenBackend",
    }
    connect(teamleader_sandbox)
    assert status()[0] == 0
    assert not TeamleaderToken.objects.exists()


def test_a_lost_connection_stays_lost_for_every_process_reading_the_row(teamleader_sandbox):
    TeamleaderTokenFactory(status=REAUTHORIZATION_NEEDED, problem="refused", expired=True)
    with pytest.raises(TeamleaderAuthExpiredError, match="refused"):
        get_client().call("users.me")
    assert teamleader_sandbox.stats["refresh_grants"] + teamleader_sandbox.stats["rejected_refreshes"] == 0


def test_status_exits_3_when_it_cannot_tell(settings, monkeypatch):
    from teamleader.django.token_store import DatabaseTokenBackend

    def broken(self):
        raise OSError("the database server went away")

    monkeypatch.setattr(DatabaseTokenBackend, "read", broken)
    with pytest.raises(CommandError) as info:
        call_command("teamleader_status", stdout=io.StringIO())
    assert info.value.returncode == 3 and "Could not read the Teamleader connection" in str(info.value)
    monkeypatch.undo()
    settings.TEAMLEADER = {**settings.TEAMLEADER, "TIMEOUT": 0}
    with pytest.raises(CommandError) as info:
        call_command("teamleader_status", stdout=io.StringIO())
    assert info.value.returncode == 3 and '"TIMEOUT"' in str(info.value)
