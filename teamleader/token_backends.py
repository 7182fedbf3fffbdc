"""Where the connection is kept between calls, and the lock that serialises a refresh.

Teamleader's refresh tokens are single-use, so every process that shares a token must
refresh under one lock and use what it reads under that lock. A backend therefore
stores a whole :class:`~teamleader.connection.ConnectionRecord` (the pair and who
connected) and provides a :meth:`TokenBackend.lock` that is as wide as its storage: a
thread lock for memory, an OS file lock for a file, a row lock for a database
(``teamleader.django.token_store.DatabaseTokenBackend``).

To write your own backend (Redis, a secrets store, …), subclass :class:`TokenBackend`
and implement :meth:`~TokenBackend.read`, :meth:`~TokenBackend.write` and
:meth:`~TokenBackend.clear`; override :meth:`~TokenBackend.lock` when several processes
share the storage, and :meth:`~TokenBackend.get` when reading only the token is cheaper.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any, Iterator

from ._checks import Arguments, file_path
from .connection import ConnectionRecord
from .exceptions import TeamleaderConfigurationError
from .token import Token

__all__ = ["TokenBackend", "MemoryTokenBackend", "FileTokenBackend"]

# One lock for every backend that keeps the default lock(): a refresh is rare, so
# sharing it costs nothing, and two backend objects over the same custom store are
# still serialised within the process.
_PROCESS_LOCK = threading.RLock()


class TokenBackend:
    """Interface of a connection store. Implement ``read``, ``write`` and ``clear``.

    ``lock()`` is held around every change of the stored pair (a refresh: read, call
    Teamleader, write) and yields the record as read *under* the lock: the caller
    uses that, never an earlier read. The default is a process-wide lock, enough for
    one process; override it where the storage is shared between processes. It must be
    re-entrant within a thread (``save()`` and ``update()`` take it too).
    """

    def read(self) -> ConnectionRecord | None:
        """The stored record, or ``None`` when nothing is stored."""
        raise NotImplementedError

    def write(self, record: ConnectionRecord) -> None:
        """Store ``record``, replacing the previous one. Called under :meth:`lock`."""
        raise NotImplementedError

    def clear(self) -> None:
        """Forget the stored record (disconnect)."""
        raise NotImplementedError

    @contextlib.contextmanager
    def lock(self) -> Iterator[ConnectionRecord | None]:
        """Hold an exclusive lock until the block ends; yields the record read under it."""
        with _PROCESS_LOCK:
            yield self.read()

    def get(self) -> Token | None:
        """The stored token pair: read before every API call, so keep it cheap."""
        record = self.read()
        return record.token if record is not None else None

    def save(self, token: Token) -> None:
        """Store a new pair, keeping the rest of the record (who connected, scopes, …).

        Marks the record refreshed now, or, when nothing was stored, connected now.
        """
        now = dt.datetime.now(dt.timezone.utc)
        with self.lock() as record:
            if record is None:
                self.write(ConnectionRecord(token=token, connected_at=now))
            else:
                self.write(record.with_token(token, refreshed_at=now))

    def update(self, **changes: Any) -> ConnectionRecord | None:
        """Change fields of the stored record other than the pair, under the lock.

        Returns the new record, or ``None`` (and changes nothing) when nothing is stored.
        Under the lock, a refresh by another worker can never be overwritten with an
        older pair.
        """
        if "token" in changes:
            raise TypeError("update() never changes the token pair; use save()")
        with self.lock() as record:
            if record is None:
                return None
            record = dataclasses.replace(record, **changes)
            self.write(record)
            return record


class MemoryTokenBackend(TokenBackend):
    """Keeps the connection in this object: for scripts, tests and single-process tools."""

    def __init__(self, token: Token | None = None, *, record: ConnectionRecord | None = None) -> None:
        self._record = record or (ConnectionRecord(token=token) if token is not None else None)
        self._lock = threading.RLock()

    def read(self) -> ConnectionRecord | None:
        return self._record

    def write(self, record: ConnectionRecord) -> None:
        self._record = record

    def clear(self) -> None:
        self._record = None

    def get(self) -> Token | None:
        record = self._record
        return record.token if record is not None else None

    @contextlib.contextmanager
    def lock(self) -> Iterator[ConnectionRecord | None]:
        with self._lock:
            yield self._record

    def __repr__(self) -> str:
        return f"MemoryTokenBackend({self.get()!r})"


class FileTokenBackend(TokenBackend):
    """Keeps the connection in a JSON file, for scripts and cron jobs on one machine.

    The refresh lock is an OS lock (``fcntl.flock``; ``msvcrt.locking`` on Windows) on
    a ``.lock`` file beside it, so separate processes never refresh at the same time.
    The file is written atomically (temporary file, then rename) with mode 0600.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        arguments = Arguments()
        arguments.check("path", file_path, path)
        arguments.raise_if_any()
        self.path = Path(path).expanduser()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.RLock()
        self._held = threading.local()

    def read(self) -> ConnectionRecord | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return ConnectionRecord.from_dict(data)
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as err:
            raise TeamleaderConfigurationError(
                f"{self.path} is not a token file written by FileTokenBackend ({type(err).__name__}); "
                "delete it and authorise again."
            ) from err

    def write(self, record: ConnectionRecord) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(record.to_dict(), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    @contextlib.contextmanager
    def lock(self) -> Iterator[ConnectionRecord | None]:
        # flock is per open file description, so threads of one process also need
        # the thread lock (two threads would otherwise both "hold" it); a thread that
        # holds it already (save() inside lock()) must not flock a second time.
        with self._thread_lock:
            if getattr(self._held, "depth", 0):
                self._held.depth += 1
                try:
                    yield self.read()
                finally:
                    self._held.depth -= 1
                return
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.lock_path, "a+b") as fh:
                _lock_file(fh.fileno())
                self._held.depth = 1
                try:
                    yield self.read()
                finally:
                    self._held.depth = 0
                    _unlock_file(fh.fileno())

    def __repr__(self) -> str:
        return f"FileTokenBackend({str(self.path)!r})"


try:  # POSIX
    import fcntl

    def _lock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _lock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:  # LK_LOCK gives up after ~10 s; keep waiting like flock
                continue

    def _unlock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
