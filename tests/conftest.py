"""Fixtures shared by the whole suite."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
import time
from urllib.parse import parse_qs

import pytest
import responses

from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient, Token
from teamleader.rate_limiter import MemoryRateLimiter

AUTH = "https://focus.teamleader.eu"
API = "https://api.focus.teamleader.eu"
TOKEN_URL = f"{AUTH}/oauth2/access_token"
CLIENT_SECRET = "client-secret-that-must-never-leak"


def make_token(expires_in: float = 3600, *, access: str | None = None, refresh: str | None = None) -> Token:
    """A token pair with long, recognisable random values, expiring in ``expires_in`` s."""
    return Token(
        access_token=access or "at-" + secrets.token_hex(24),
        refresh_token=refresh or "rt-" + secrets.token_hex(24),
        expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=expires_in),
    )


class RotatingTokenEndpoint:
    """A stand-in for Teamleader's token endpoint, registered with ``responses``.

    Every refresh token works once: a reused one answers 400 ``invalid_grant``, as
    Teamleader does. ``delay`` makes the answer slow, to widen race windows.
    """

    def __init__(self, rsps: responses.RequestsMock, current_refresh: str, *, delay: float = 0.0) -> None:
        self.valid = {current_refresh}
        self.delay = delay
        self.refreshes = 0
        self.rejected = 0
        self.issued: list[Token] = []
        self._lock = threading.Lock()
        rsps.add_callback(responses.POST, TOKEN_URL, callback=self)

    def __call__(self, request):
        form = {
            k: v[0]
            for k, v in parse_qs(
                request.body if isinstance(request.body, str) else request.body.decode()
            ).items()
        }
        time.sleep(self.delay)
        with self._lock:
            if form.get("grant_type") != "refresh_token" or form.get("refresh_token") not in self.valid:
                self.rejected += 1
                return (
                    400,
                    {},
                    json.dumps({"error": "invalid_grant", "error_description": "refresh token is invalid"}),
                )
            self.valid.discard(form["refresh_token"])
            self.refreshes += 1
            new = make_token()
            self.valid.add(new.refresh_token)
            self.issued.append(new)
        body = {
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": new.access_token,
            "refresh_token": new.refresh_token,
        }
        return 200, {}, json.dumps(body)


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def token():
    return make_token()


@pytest.fixture
def backend(token):
    return MemoryTokenBackend(token)


@pytest.fixture
def oauth(backend):
    return OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost:9999/callback", backend)


@pytest.fixture
def client(oauth):
    with fake_time_client(oauth, backoff_base=0.0) as api_client:
        yield api_client


class FakeClock:
    """Monotonic seconds that move only when told to (by a client's ``_sleep``)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fake_time_client(oauth, **kwargs) -> TeamleaderClient:
    """A client whose waits are recorded in ``.sleeps`` and pass in an instant on its budget's clock."""
    clock = FakeClock()
    kwargs.setdefault("rate_limiter", MemoryRateLimiter(clock=clock))
    api = TeamleaderClient(oauth, **kwargs)
    api.sleeps = []

    def sleep(seconds: float) -> None:
        api.sleeps.append(seconds)
        clock.advance(seconds)

    api._sleep = sleep
    return api
