"""Token backends: whole connection records, and locks that really exclude other threads and processes."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import stat
import threading

import pytest

from teamleader import FileTokenBackend, MemoryTokenBackend, TeamleaderConfigurationError, TokenBackend
from teamleader.connection import CONNECTED, REAUTHORIZATION_NEEDED, ConnectionRecord

from .conftest import make_token

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(params=["memory", "file"])
def any_backend(request, tmp_path):
    return MemoryTokenBackend() if request.param == "memory" else FileTokenBackend(tmp_path / "token.json")


def full_record(**changes):
    values = dict(
        token=make_token(),
        scopes=("contacts", "deals"),
        user_id="u-1",
        user_name="Ada Lovelace",
        user_email="ada@example.com",
        account_id="acc-1",
        connected_by="admin",
        connected_at=NOW,
    )
    return ConnectionRecord(**{**values, **changes})


def test_get_save_clear(any_backend):
    assert any_backend.get() is None
    token = make_token()
    any_backend.save(token)
    assert any_backend.get() == token
    replacement = make_token()
    any_backend.save(replacement)
    assert any_backend.get() == replacement
    any_backend.clear()
    assert any_backend.get() is None
    any_backend.clear()  # clearing twice is fine


def test_the_whole_record_round_trips(any_backend):
    record = full_record(refreshed_at=NOW, status=REAUTHORIZATION_NEEDED, problem="refused", problem_at=NOW)
    with any_backend.lock():
        any_backend.write(record)
    assert any_backend.read() == record
    assert any_backend.get() == record.token


def test_save_replaces_the_pair_and_keeps_who_connected(any_backend):
    with any_backend.lock():
        any_backend.write(full_record(status=REAUTHORIZATION_NEEDED, problem="refused", problem_at=NOW))
    newer = make_token()
    any_backend.save(newer)
    record = any_backend.read()
    assert record.token == newer
    assert (record.user_name, record.connected_by, record.scopes) == (
        "Ada Lovelace",
        "admin",
        ("contacts", "deals"),
    )
    assert (record.status, record.problem, record.problem_at) == (CONNECTED, "", None)


def test_update_changes_details_but_never_the_pair(any_backend):
    assert any_backend.update(user_name="Nobody") is None  # nothing stored: nothing written
    assert any_backend.read() is None
    record = full_record()
    any_backend.save(record.token)
    updated = any_backend.update(user_name="Grace Hopper", connected_by="ops")
    assert updated == any_backend.read()
    assert (updated.user_name, updated.connected_by, updated.token) == ("Grace Hopper", "ops", record.token)
    with pytest.raises(TypeError, match="never changes the token pair"):
        any_backend.update(token=make_token())


def test_lock_yields_what_it_read_under_the_lock(any_backend):
    token = make_token()
    any_backend.save(token)
    with any_backend.lock() as record:
        assert record.token == token
        any_backend.save(make_token())  # re-entrant in the holding thread
    assert any_backend.get() != token


def test_lock_excludes_other_threads(any_backend):
    held, release, second_in = threading.Event(), threading.Event(), threading.Event()

    def holder():
        with any_backend.lock():
            held.set()
            release.wait(10)

    def contender():
        with any_backend.lock():
            second_in.set()

    first = threading.Thread(target=holder)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=contender)
    second.start()
    assert not second_in.wait(0.3)  # blocked while the first holds the lock
    release.set()
    assert second_in.wait(10)
    first.join()
    second.join()


def test_file_is_private_and_not_in_repr(tmp_path):
    backend = FileTokenBackend(tmp_path / "sub" / "token.json")
    token = make_token()
    backend.save(token)
    assert stat.S_IMODE(os.stat(backend.path).st_mode) == 0o600
    assert token.access_token not in repr(backend)
    assert token.refresh_token not in repr(backend.read())


def test_a_version_0_1_token_file_is_read(tmp_path):
    token = make_token()
    path = tmp_path / "token.json"
    path.write_text(json.dumps(token.to_dict()))
    assert FileTokenBackend(path).read() == ConnectionRecord(token=token)


def _hold_file_lock(path, entered, release):
    with FileTokenBackend(path).lock():
        entered.set()
        release.wait(30)


def test_file_lock_excludes_another_process(tmp_path):
    path = tmp_path / "token.json"
    ctx = multiprocessing.get_context("spawn")
    entered, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_file_lock, args=(path, entered, release))
    child.start()
    try:
        assert entered.wait(30)
        parent_in = threading.Event()

        def parent():
            with FileTokenBackend(path).lock():
                parent_in.set()

        thread = threading.Thread(target=parent)
        thread.start()
        assert not parent_in.wait(0.3)  # the child process holds the OS lock
        release.set()
        assert parent_in.wait(30)
        thread.join()
    finally:
        release.set()
        child.join(30)


class Custom(TokenBackend):
    def read(self):
        return None


def test_default_lock_is_shared_within_the_process():
    first, second = Custom(), Custom()
    held, release, second_in = threading.Event(), threading.Event(), threading.Event()

    def holder():
        with first.lock():
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    assert held.wait(10)

    def contend():
        with second.lock():
            second_in.set()

    contender = threading.Thread(target=contend)
    contender.start()
    assert not second_in.wait(0.3)  # another object, same process-wide lock
    release.set()
    assert second_in.wait(10)
    t.join()
    contender.join()


def test_interface_methods_must_be_implemented():
    backend = TokenBackend()
    for call in (backend.read, backend.get, backend.clear, lambda: backend.write(full_record())):
        with pytest.raises(NotImplementedError):
            call()


def test_file_path_expands_the_home_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    backend = FileTokenBackend("~/.teamleader-token.json")
    backend.save(make_token())
    assert (tmp_path / ".teamleader-token.json").exists()


def test_a_file_backend_needs_a_path():
    with pytest.raises(TeamleaderConfigurationError) as info:
        FileTokenBackend("")
    assert info.value.problems == {
        "path": "must be the path of a file, e.g. '~/.teamleader-token.json', got ''"
    }


def test_a_corrupt_file_says_what_to_do(tmp_path):
    path = tmp_path / "token.json"
    path.write_text("{not json")
    with pytest.raises(TeamleaderConfigurationError, match="delete it and authorise again"):
        FileTokenBackend(path).get()
