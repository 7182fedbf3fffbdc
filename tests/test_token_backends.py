"""Token backends: storage, and locks that really exclude other threads and processes."""

from __future__ import annotations

import multiprocessing
import os
import stat
import threading
import time

import pytest

from teamleader import FileTokenBackend, MemoryTokenBackend, TokenBackend

from .conftest import make_token


@pytest.fixture(params=["memory", "file"])
def any_backend(request, tmp_path):
    return MemoryTokenBackend() if request.param == "memory" else FileTokenBackend(tmp_path / "token.json")


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


def test_lock_excludes_other_threads(any_backend):
    order = []
    inside = threading.Event()

    def holder():
        with any_backend.lock():
            order.append("first in")
            inside.set()
            time.sleep(0.2)
            order.append("first out")

    t = threading.Thread(target=holder)
    t.start()
    inside.wait()
    with any_backend.lock():
        order.append("second in")
    t.join()
    assert order == ["first in", "first out", "second in"]


def test_file_is_private_and_not_in_repr(tmp_path):
    backend = FileTokenBackend(tmp_path / "sub" / "token.json")
    token = make_token()
    backend.save(token)
    assert stat.S_IMODE(os.stat(backend.path).st_mode) == 0o600
    assert token.access_token not in repr(backend)


def _hold_file_lock(path, entered, log):
    backend = FileTokenBackend(path)
    with backend.lock():
        with open(log, "a") as fh:
            fh.write("child in\n")
        entered.set()
        time.sleep(0.5)
        with open(log, "a") as fh:
            fh.write("child out\n")


def test_file_lock_excludes_another_process(tmp_path):
    path, log = tmp_path / "token.json", tmp_path / "order.log"
    ctx = multiprocessing.get_context("spawn")
    entered = ctx.Event()
    child = ctx.Process(target=_hold_file_lock, args=(path, entered, log))
    child.start()
    assert entered.wait(30)
    with FileTokenBackend(path).lock():
        with open(log, "a") as fh:
            fh.write("parent in\n")
    child.join(30)
    assert log.read_text().splitlines() == ["child in", "child out", "parent in"]


def test_default_lock_is_shared_within_the_process():
    class Custom(TokenBackend):
        pass

    first, second = Custom(), Custom()
    order = []
    inside = threading.Event()

    def holder():
        with first.lock():
            inside.set()
            time.sleep(0.2)
            order.append("first out")

    t = threading.Thread(target=holder)
    t.start()
    inside.wait()
    with second.lock():
        order.append("second in")
    t.join()
    assert order == ["first out", "second in"]


def test_interface_methods_must_be_implemented():
    backend = TokenBackend()
    for call in (backend.get, backend.clear, lambda: backend.save(make_token())):
        with pytest.raises(NotImplementedError):
            call()


def test_file_path_expands_the_home_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    backend = FileTokenBackend("~/.teamleader-token.json")
    backend.save(make_token())
    assert (tmp_path / ".teamleader-token.json").exists()


def test_a_corrupt_file_says_what_to_do(tmp_path):
    from teamleader import TeamleaderConfigurationError

    path = tmp_path / "token.json"
    path.write_text("{not json")
    with pytest.raises(TeamleaderConfigurationError, match="delete it and authorise again"):
        FileTokenBackend(path).get()
