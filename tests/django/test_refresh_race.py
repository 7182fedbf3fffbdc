"""One refresh across all workers: real processes on PostgreSQL, threads on SQLite.

Every worker starts at the same instant against one expired token. The stand-in
token endpoint (the offline sandbox on 127.0.0.1) rotates tokens, answers slowly and
rejects a reused refresh token with ``invalid_grant``, exactly as Teamleader does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from teamleader import MemoryTokenBackend, OAuth2Handler
from teamleader.django import get_client
from teamleader.django.models import TeamleaderToken
from teamleader.exceptions import TeamleaderError
from teamleader.testing import Sandbox

from ..factories import TeamleaderTokenFactory
from .utils import database_url

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8
REFRESH_DELAY = 0.5  # seconds the token endpoint takes to answer a refresh


@pytest.fixture
def sandbox_server(request):
    marker = request.node.get_closest_marker("refresh_delay")
    sandbox = Sandbox(refresh_delay=marker.args[0] if marker else REFRESH_DELAY, rate_limit=None)
    server = sandbox.serve()
    yield server
    server.stop()


@pytest.fixture
def expired_row(sandbox_server):
    token = sandbox_server.sandbox.issue_token_object()
    return TeamleaderTokenFactory(
        access_token=token.access_token, refresh_token=token.refresh_token, expired=True
    )


def run_processes(sandbox_url: str, backend: str | None = None) -> list[dict]:
    start_at = time.time() + 3  # time for every process to import Django and connect
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "tests.django.race_worker", sandbox_url, str(start_at)]
    procs = [
        subprocess.Popen(
            args + ([backend] if backend else []),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def assert_newest_pair_is_stored(sandbox_server, original):
    row = TeamleaderToken.objects.get()
    assert row.refresh_token != original.refresh_token
    # The stored refresh token is the live one: Teamleader (the sandbox) accepts it once more.
    probe = OAuth2Handler(
        "test-client-id",
        "test-client-secret-never-shown",
        "http://localhost/cb",
        MemoryTokenBackend(row.to_token()),
        auth_base_url=sandbox_server.url,
    )
    before = sandbox_server.sandbox.stats["refresh_grants"]
    probe.refresh()
    assert sandbox_server.sandbox.stats["refresh_grants"] == before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_processes_on_postgresql_refresh_exactly_once(sandbox_server, expired_row):
    if connection.vendor != "postgresql":
        pytest.skip("row locks across processes are proven on PostgreSQL (set DATABASE_URL=postgres://...)")
    results = run_processes(sandbox_server.url)
    stats = sandbox_server.sandbox.stats
    assert [r["errors"] for r in results] == [[]] * WORKERS
    assert sum(r["ok"] for r in results) == 3 * WORKERS
    assert stats["refresh_grants"] == 1
    assert stats["rejected_refreshes"] == 0
    assert len({r["pid"] for r in results}) == WORKERS
    assert_newest_pair_is_stored(sandbox_server, expired_row)


@pytest.mark.django_db(transaction=True)
def test_eight_processes_on_sqlite_refresh_exactly_once(sandbox_server, expired_row):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite write-lock path")
    results = run_processes(sandbox_server.url)
    stats = sandbox_server.sandbox.stats
    assert [r["errors"] for r in results] == [[]] * WORKERS
    assert (stats["refresh_grants"], stats["rejected_refreshes"]) == (1, 0)
    assert_newest_pair_is_stored(sandbox_server, expired_row)


@pytest.mark.refresh_delay(2.0)  # a window wide enough for every worker, even on a busy machine
@pytest.mark.django_db(transaction=True)
def test_a_save_only_lock_loses_the_race(sandbox_server, expired_row):
    """Control: with the lock around the save only, the same race reuses the refresh token.

    Teamleader rejects every reuse with invalid_grant; whether a caller then fails
    depends on timing (the handler adopts a pair saved meanwhile), which is exactly the
    intermittent logout this project's lock rules out.
    """
    run_processes(sandbox_server.url, "tests.django.naive_backends.SaveOnlyLockBackend")
    stats = sandbox_server.sandbox.stats
    assert stats["refresh_grants"] == 1
    assert stats["rejected_refreshes"] >= 1


@pytest.mark.django_db(transaction=True)
def test_eight_threads_refresh_exactly_once(sandbox_server, expired_row, settings):
    settings.TEAMLEADER = {
        **settings.TEAMLEADER,
        "AUTH_BASE_URL": sandbox_server.url,
        "API_BASE_URL": sandbox_server.url,
    }
    barrier = threading.Barrier(WORKERS)
    errors: list[str] = []
    ok: list[int] = []

    def worker():
        try:
            connections["default"].ensure_connection()
            barrier.wait()
            for _ in range(3):
                get_client().call("users.me")
                ok.append(1)
        except TeamleaderError as err:
            errors.append(str(err))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stats = sandbox_server.sandbox.stats
    assert errors == []
    assert len(ok) == 3 * WORKERS
    assert (stats["refresh_grants"], stats["rejected_refreshes"]) == (1, 0)
    assert_newest_pair_is_stored(sandbox_server, expired_row)
