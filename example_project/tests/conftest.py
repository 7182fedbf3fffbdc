"""Fixtures: the example site against an in-process Teamleader sandbox."""

from __future__ import annotations

import pytest
from teamleader.django.token_store import DatabaseTokenBackend
from teamleader.testing import Sandbox

SANDBOX_URL = "http://127.0.0.1:8765"


@pytest.fixture(autouse=True)
def sandbox_settings(settings):
    """The sandbox configuration, whatever a local .env says."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins
    settings.TEAMLEADER_SANDBOX_URL = SANDBOX_URL
    settings.TEAMLEADER = {
        "CLIENT_ID": "example-project",
        "CLIENT_SECRET": "example-secret-never-shown",
        "REDIRECT_URI": "http://localhost:9999/callback",
        "SCOPES": ["contacts", "companies", "deals", "users"],
        "AUTH_BASE_URL": SANDBOX_URL,
        "API_BASE_URL": SANDBOX_URL,
        "WEBHOOK_SECRET": "example-sandbox-webhook-secret-not-for-production",
        # Tests call the sandbox hundreds of times a minute; it keeps Teamleader's limit itself.
        "RATE_LIMIT": None,
    }


@pytest.fixture
def sandbox():
    """A fresh sandbox answering every ``requests`` call to SANDBOX_URL (no sockets)."""
    sandbox = Sandbox()
    with sandbox.mock(base_url=SANDBOX_URL, api_base_url=SANDBOX_URL):
        yield sandbox


@pytest.fixture
def token(db, sandbox):
    """The site is connected: a token pair issued by the sandbox is stored."""
    token = sandbox.issue_token_object()
    DatabaseTokenBackend().save(token)
    return token


@pytest.fixture
def mirrored(token, sandbox):
    """The mirror holds a copy of the sandbox's account; the calls that took are forgotten."""
    from teamleader.django.mirror.sync import sync

    sync()
    sandbox.calls.clear()
    return token
