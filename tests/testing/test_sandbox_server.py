"""The network face: a real HTTP server on 127.0.0.1, in-process and as ``python -m``."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from teamleader.testing import SandboxServer

REDIRECT = "http://127.0.0.1:9/callback"


def connect(url: str) -> dict:
    """The whole browser dance over HTTP: consent page, Approve, code exchange."""
    params = {"client_id": "cid", "response_type": "code", "redirect_uri": REDIRECT, "state": "xyz"}
    page = requests.get(f"{url}/oauth2/authorize", params=params, timeout=5)
    assert page.status_code == 200 and ">Approve</button>" in page.text
    approved = requests.post(
        f"{url}/oauth2/authorize", data={**params, "decision": "approve"}, allow_redirects=False, timeout=5
    )
    assert approved.status_code == 302
    query = parse_qs(urlsplit(approved.headers["Location"]).query)
    assert query["state"] == ["xyz"]
    token = requests.post(
        f"{url}/oauth2/access_token",
        data={
            "grant_type": "authorization_code",
            "client_id": "cid",
            "client_secret": "secret",
            "code": query["code"][0],
            "redirect_uri": REDIRECT,
        },
        timeout=5,
    )
    assert token.status_code == 200
    return token.json()


def test_full_flow_over_real_sockets(caplog) -> None:
    caplog.set_level(logging.INFO, logger="teamleader.testing")
    with SandboxServer(port=0) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.port > 0
        pair = connect(server.url)
        me = requests.post(
            f"{server.url}/users.me",
            json={},
            timeout=5,
            headers={"Authorization": f"Bearer {pair['access_token']}"},
        )
        assert me.status_code == 200 and me.json()["data"]["first_name"] == "Sofie"
        assert me.headers["X-RateLimit-Limit"] == "200"
        missing = requests.post(
            f"{server.url}/contacts.info",
            json={"id": "x"},
            timeout=5,
            headers={"Authorization": f"Bearer {pair['access_token']}"},
        )
        assert missing.status_code == 404 and missing.json()["errors"][0]["status"] == 404
        stats = requests.get(f"{server.url}/_sandbox/stats", timeout=5).json()
    assert (stats["code_grants"], stats["api_calls"], stats["authorizations_approved"]) == (1, 2, 1)
    assert "POST /users.me -> 200" in caplog.text
    for secret in (pair["access_token"], pair["refresh_token"]):
        assert secret[:40] not in caplog.text
    assert "code=" not in caplog.text


def test_control_endpoints_steer_the_sandbox_from_outside() -> None:
    with SandboxServer() as server:
        pair = server.sandbox.issue_token()
        auth = {"Authorization": f"Bearer {pair['access_token']}"}
        assert requests.post(f"{server.url}/users.me", headers=auth, timeout=5).status_code == 200
        assert requests.post(f"{server.url}/_sandbox/expire_access_tokens", timeout=5).status_code == 204
        assert requests.post(f"{server.url}/users.me", headers=auth, timeout=5).status_code == 401
        requests.post(
            f"{server.url}/_sandbox/fail_next", json={"target": "users.me", "status": 500}, timeout=5
        )
        fresh = {"Authorization": f"Bearer {server.sandbox.issue_token()['access_token']}"}
        assert requests.post(f"{server.url}/users.me", headers=fresh, timeout=5).status_code == 500
        assert requests.post(f"{server.url}/users.me", headers=fresh, timeout=5).status_code == 200


def test_concurrent_refreshes_with_one_token_leave_exactly_one_winner() -> None:
    with SandboxServer(refresh_delay=0.3) as server:
        refresh_token = server.sandbox.issue_token()["refresh_token"]
        results: list[int] = []

        def refresh() -> None:
            answer = requests.post(
                f"{server.url}/oauth2/access_token",
                timeout=5,
                data={
                    "grant_type": "refresh_token",
                    "client_id": "c",
                    "client_secret": "s",
                    "refresh_token": refresh_token,
                },
            )
            results.append(answer.status_code)

        workers = [threading.Thread(target=refresh) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stats = server.sandbox.stats
    assert sorted(results) == [200, 400]
    assert (stats["refresh_grants"], stats["rejected_refreshes"]) == (1, 1)


def test_stop_releases_the_port() -> None:
    server = SandboxServer().start()
    url = server.url
    server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/_sandbox/stats", timeout=2)


def test_python_m_teamleader_testing_prints_its_url_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "teamleader.testing", "--port", "0", "--rate-limit", "7", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        pair = connect(url)
        me = requests.post(
            f"{url}/users.me", timeout=5, headers={"Authorization": f"Bearer {pair['access_token']}"}
        )
        assert me.headers["X-RateLimit-Limit"] == "7"
        assert requests.get(f"{url}/_sandbox/stats", timeout=5).json()["code_grants"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
