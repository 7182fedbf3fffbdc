"""Fixtures for the sandbox's own tests: a sandbox on a fake clock and a small API caller."""

from __future__ import annotations

import json
from typing import Any

import pytest

from teamleader.testing import Sandbox

#: 2025-06-02T12:00:00+00:00, a fixed "now" for the fake clock.
START = 1748865600.0


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


class Answer:
    """One decoded sandbox answer."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<Answer {self.status} {self.body[:200]!r}>"


class Caller:
    """Calls a sandbox's ``handle`` like an HTTP client would."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.access_token = sandbox.issue_token()["access_token"]

    def api(
        self, endpoint: str, body: Any = None, *, token: str | None = None, method: str = "POST"
    ) -> Answer:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token or self.access_token}",
        }
        payload = b"" if body is None else json.dumps(body).encode()
        return Answer(*self.sandbox.handle(method, f"/{endpoint}", "", headers, payload))

    def token(self, form: dict[str, str], *, as_json: bool = False) -> Answer:
        if as_json:
            headers, payload = {"Content-Type": "application/json"}, json.dumps(form)
        else:
            from urllib.parse import urlencode

            headers, payload = {"Content-Type": "application/x-www-form-urlencoded"}, urlencode(form)
        return Answer(*self.sandbox.handle("POST", "/oauth2/access_token", "", headers, payload))

    def ok(self, endpoint: str, body: Any = None) -> Any:
        """The decoded answer of a call that must succeed (``None`` for 204)."""
        answer = self.api(endpoint, body)
        assert answer.status in (200, 201, 204), answer
        return answer.json if answer.body else None


@pytest.fixture
def world():
    """``(sandbox, rsps, client)``: a fresh sandbox behind ``responses``, a client with a token it accepts."""
    import responses

    from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient

    fresh = Sandbox()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fresh.activate(rsps)
        backend = MemoryTokenBackend(fresh.issue_token_object())
        with TeamleaderClient(OAuth2Handler("id", "secret", "http://localhost/cb", backend)) as client:
            yield fresh, rsps, client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox(clock=clock)


@pytest.fixture
def caller(sandbox: Sandbox) -> Caller:
    return Caller(sandbox)
