"""Fixtures for the mirror: a sandbox account with thousands of records, and a connected site."""

from __future__ import annotations

import pytest

from teamleader.django.token_store import DatabaseTokenBackend
from teamleader.testing import Sandbox


@pytest.fixture
def account_size():
    """How many records ``sandbox`` generates on top of the seed data (a module may override it)."""
    return {"companies": 200, "contacts": 1500, "deals": 400}


@pytest.fixture
def sandbox(account_size):
    """A sandbox with thousands of records (seed data plus generated ones), no rate limit."""
    sandbox = Sandbox(rate_limit=None)
    sandbox.populate(**account_size)
    return sandbox


@pytest.fixture
def server(sandbox):
    """``sandbox`` behind a real HTTP server on 127.0.0.1."""
    server = sandbox.serve()
    yield server
    server.stop()


@pytest.fixture
def connected(db, settings, server):
    """The site talks to the sandbox server and holds a valid token."""
    settings.TEAMLEADER = {**settings.TEAMLEADER, "AUTH_BASE_URL": server.url, "API_BASE_URL": server.url}
    DatabaseTokenBackend().save(server.sandbox.issue_token_object())
    return server.sandbox


@pytest.fixture
def mirror_settings(settings):
    """``mirror_settings(PROCESSING=None)``: set ``TEAMLEADER["MIRROR"]`` for the test."""

    def apply(**values):
        settings.TEAMLEADER = {**settings.TEAMLEADER, "MIRROR": values}

    return apply


@pytest.fixture
def mirrored(connected, mirror_settings):
    """A mirror equal to the sandbox; events are processed only when a test says so."""
    from teamleader.django.mirror.sync import sync

    mirror_settings(PROCESSING=None)
    sync()
    connected.calls.clear()
    return connected
