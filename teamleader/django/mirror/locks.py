"""One sync per resource at a time, across processes and hosts: a lock the database (or OS) frees.

Two ``teamleader_sync`` runs of the same resource (a slow full sync overlapping the next
cron run) would read every page twice and fight over the checkpoint. The lock is one the
database releases by itself when the holder's connection ends, so a killed run never
blocks the next: PostgreSQL's ``pg_try_advisory_lock``, MySQL/MariaDB's ``GET_LOCK``. SQLite
has neither; there a lock file (``flock``) in the temporary directory, named after the
database file's path, does the same for the one machine that can open the database.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections

__all__ = ["SyncAlreadyRunning", "resource_lock"]


class SyncAlreadyRunning(Exception):
    """Another process is syncing this resource right now."""


def _key(name: str) -> int:
    digest = hashlib.sha256(f"teamleader_mirror:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


#: Seconds to keep trying: a killed holder's session ends a moment after the process does.
WAIT = 3.0


def _try(connection: Any, sql: str, params: list[Any]) -> bool:
    deadline = time.monotonic() + WAIT
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.fetchone()[0] in (True, 1):
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


@contextmanager
def resource_lock(name: str, using: str) -> Iterator[None]:
    """Hold the lock for ``name`` for the block; :class:`SyncAlreadyRunning` when it stays taken."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor == "postgresql":
        if not _try(connection, "SELECT pg_try_advisory_lock(%s)", [_key(name)]):
            raise SyncAlreadyRunning(name)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])
    elif vendor == "mysql":
        label = f"teamleader_mirror:{connection.settings_dict['NAME']}:{name}"[:64]
        if not _try(connection, "SELECT GET_LOCK(%s, 0)", [label]):
            raise SyncAlreadyRunning(name)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT RELEASE_LOCK(%s)", [label])
    else:
        with _file_lock(connection, name):
            yield


@contextmanager
def _file_lock(connection: Any, name: str) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one machine, run one sync at a time yourself
        yield
        return
    database = str(connection.settings_dict.get("NAME") or "")
    place = hashlib.sha256(os.path.abspath(database).encode()).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), f"teamleader-mirror-{place}-{name}.lock")
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise SyncAlreadyRunning(name) from err
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
