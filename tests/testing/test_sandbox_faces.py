"""The in-process face (``responses``) and the pytest fixtures built on the two faces."""

from __future__ import annotations

import pytest
import requests
import responses

from teamleader.testing import Sandbox

AUTH = "https://focus.teamleader.eu"
API = "https://api.focus.teamleader.eu"


def bearer(sandbox: Sandbox) -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.issue_token()['access_token']}"}


def test_mock_routes_both_teamleader_hosts_to_the_sandbox() -> None:
    sandbox = Sandbox()
    with sandbox.mock():
        code = sandbox.authorize("https://app.example.com/cb")
        token = requests.post(
            f"{AUTH}/oauth2/access_token",
            timeout=5,
            data={
                "grant_type": "authorization_code",
                "client_id": "c",
                "client_secret": "s",
                "code": code,
                "redirect_uri": "https://app.example.com/cb",
            },
        )
        assert token.status_code == 200
        me = requests.post(
            f"{API}/users.me",
            json={},
            timeout=5,
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
        assert me.status_code == 200 and me.headers["Content-Type"] == "application/json"
        assert me.json()["data"]["id"] == sandbox.me["id"]
        # Each host answers only its own part, like Teamleader's.
        assert requests.post(f"{AUTH}/users.me", headers=bearer(sandbox), timeout=5).status_code == 404
        assert requests.post(f"{API}/oauth2/access_token", timeout=5).status_code == 404
        with pytest.raises(requests.ConnectionError):
            requests.get("https://example.com/", timeout=5)
    assert (sandbox.base_url, sandbox.api_base_url) == (AUTH, API)


def test_mock_with_one_base_url_like_the_server() -> None:
    sandbox = Sandbox()
    with sandbox.mock(base_url="http://sandbox.test:8765", api_base_url="http://sandbox.test:8765"):
        page = requests.get(
            "http://sandbox.test:8765/oauth2/authorize",
            timeout=5,
            params={"client_id": "c", "response_type": "code", "redirect_uri": "http://localhost/cb"},
        )
        assert page.status_code == 200
        answer = requests.post(
            "http://sandbox.test:8765/contacts.list",
            json={"page": {"size": 3}},
            headers=bearer(sandbox),
            timeout=5,
        )
        assert len(answer.json()["data"]) == 3


def test_activate_joins_an_existing_requests_mock() -> None:
    sandbox = Sandbox()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, "https://example.com/other", json={"ok": True})
        sandbox.activate(rsps)
        assert requests.get("https://example.com/other", timeout=5).json() == {"ok": True}
        assert requests.post(f"{API}/users.me", headers=bearer(sandbox), timeout=5).status_code == 200


def test_approve_redirect_is_not_followed_into_the_void() -> None:
    sandbox = Sandbox()
    with sandbox.mock():
        answer = requests.post(
            f"{AUTH}/oauth2/authorize",
            allow_redirects=False,
            timeout=5,
            data={
                "client_id": "c",
                "response_type": "code",
                "redirect_uri": "https://app.example.com/cb",
                "state": "s",
                "decision": "deny",
            },
        )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "https://app.example.com/cb?error=access_denied&state=s"


# -- the pytest plugin ----------------------------------------------------------------------
def test_fixture_intercepts_the_real_teamleader_urls(teamleader_sandbox: Sandbox) -> None:
    answer = requests.post(
        f"{API}/deals.list", json={"includes": "pagination"}, timeout=5, headers=bearer(teamleader_sandbox)
    )
    assert answer.json()["meta"]["matches"] == len(teamleader_sandbox.state.deals)
    assert teamleader_sandbox.stats["api_calls"] == 1


@pytest.mark.teamleader_sandbox(rate_limit=2, access_token_lifetime=120)
def test_fixture_takes_options_from_the_marker(teamleader_sandbox: Sandbox) -> None:
    assert teamleader_sandbox.issue_token()["expires_in"] == 120
    headers = bearer(teamleader_sandbox)
    statuses = [requests.post(f"{API}/users.me", headers=headers, timeout=5).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_each_test_gets_a_fresh_sandbox(teamleader_sandbox: Sandbox) -> None:
    assert teamleader_sandbox.stats["api_calls"] == 0 and teamleader_sandbox.events == []


def test_server_fixture(teamleader_sandbox_server) -> None:
    sandbox = teamleader_sandbox_server.sandbox
    answer = requests.post(f"{teamleader_sandbox_server.url}/users.me", headers=bearer(sandbox), timeout=5)
    assert answer.status_code == 200


def test_the_sdk_connects_refreshes_and_lists_against_the_fixture(teamleader_sandbox: Sandbox) -> None:
    from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient

    oauth = OAuth2Handler("cid", "secret", "http://localhost/cb", MemoryTokenBackend())
    url = oauth.get_authorization_url()
    consent = requests.get(url, timeout=5)
    assert consent.status_code == 200 and ">Approve</button>" in consent.text
    callback = teamleader_sandbox.approve("http://localhost/cb", url.state)
    oauth.handle_callback(callback, expected_state=url.state)

    with TeamleaderClient(oauth) as client:
        assert client.call("users.me")["data"] == teamleader_sandbox.me
        teamleader_sandbox.expire_access_tokens()  # the next call meets a 401 and refreshes
        contacts = list(client.contacts.iterate())
    assert len(contacts) == len(teamleader_sandbox.state.contacts)
    stats = teamleader_sandbox.stats
    assert (stats["code_grants"], stats["refresh_grants"], stats["rejected_refreshes"]) == (1, 1, 0)
