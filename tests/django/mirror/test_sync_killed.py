"""A sync process killed mid-run (SIGKILL, a real subprocess): the next run resumes, no gaps, no twins."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from teamleader.django.mirror.models import Contact, SyncState
from teamleader.django.mirror.sync import sync

from ..utils import database_url
from .helpers import assert_mirror_equals_sandbox, list_calls, pages_of, serve_slowly

ROOT = Path(__file__).resolve().parents[3]


def start_sync(server_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
        "TEAMLEADER_TEST_OVERRIDES": json.dumps({"API_BASE_URL": server_url, "AUTH_BASE_URL": server_url}),
    }
    args = [sys.executable, "-m", "django", "teamleader_sync", "contacts", "--settings=tests.settings"]
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for_pages(process: subprocess.Popen, pages: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = SyncState.objects.filter(resource="contacts").first()
        if state is not None and state.pass_page >= pages:
            return state.pass_page
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError(f"the sync did not store {pages} pages in {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_a_killed_sync_resumes_without_gaps_or_duplicates(connected, server):
    total_pages = pages_of(connected, "contacts")
    serve_slowly(connected, delay=0.1)  # time to kill it between two pages
    process = start_sync(server.url)
    try:
        wait_for_pages(process, 5)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    state = SyncState.objects.get(resource="contacts")
    stored = state.pass_page
    assert state.in_progress and 5 <= stored < total_pages
    assert Contact.objects.count() == stored * 100  # what was committed is exactly the stored pages

    serve_slowly(connected)
    connected.calls.clear()
    result = sync(["contacts"])[0]
    assert result.resumed
    assert [c["body"]["page"]["number"] for c in list_calls(connected, "contacts")] == list(
        range(stored + 1, total_pages + 1)
    )
    assert_mirror_equals_sandbox(connected, "contacts")


@pytest.mark.django_db(transaction=True)
def test_a_second_run_of_the_same_resource_is_refused_while_the_first_runs(connected, server):
    serve_slowly(connected, delay=0.5)  # it runs for seconds; the refused run tries for locks.WAIT = 3 s
    process = start_sync(server.url)
    try:
        wait_for_pages(process, 1)
        with pytest.raises(CommandError, match="another teamleader_sync is syncing it right now"):
            call_command("teamleader_sync", "contacts", stdout=io.StringIO())
        call_command("teamleader_sync", "deal_phases", stdout=io.StringIO())  # other resources are free
        os.kill(process.pid, signal.SIGKILL)  # the lock dies with its holder
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    serve_slowly(connected)
    out = io.StringIO()
    call_command("teamleader_sync", "contacts", stdout=out)
    assert "resumed" in out.getvalue()
