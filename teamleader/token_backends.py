"""Where tokens are kept between calls, and the lock that serialises a refresh.

Teamleader's refresh tokens are single-use, so every process that shares a token must
refresh under one lock and re-read the stored pair once it holds it. A backend
therefore provides, besides ``get``/``save``/``clear``, a :meth:`TokenBackend.lock`
that is as wide as its storage: a thread lock for memory, an OS file lock for a file,
a row lock for a database (``teamleader.django.token_store.DatabaseTokenBackend``).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path
from typing import Iterator

from .exceptions import TeamleaderConfigurationError
from .token import Token

__all__ = ["TokenBackend", "MemoryTokenBackend", "FileTokenBackend"]

# One lock for every backend that keeps the default lock(): a refresh is rare, so
# sharing it costs nothing, and two backend objects over the same custom store are
# still serialised within the process.
_PROCESS_LOCK = threading.RLock()


class TokenBackend:
    """Interface of a token store. Subclass it and implement the three methods.

    ``lock()`` must be held around the whole refresh (re-read, call to Teamleader,
    save). The default is a process-local lock; override it where the storage is
    shared between processes and can lock across them.
    """

    def get(self) -> Token | None:
        """Return the stored token, or ``None`` when nothing is stored."""
        raise NotImplementedError

    def save(self, token: Token) -> None:
        """Store ``token``, replacing both halves of the previous pair."""
        raise NotImplementedError

    def clear(self) -> None:
        """Forget the stored token."""
        raise NotImplementedError

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold an exclusive lock for a refresh; released when the block ends."""
        with _PROCESS_LOCK:
            yield


class MemoryTokenBackend(TokenBackend):
    """Keeps the token in this object: for scripts, tests and single-process tools."""

    def __init__(self, token: Token | None = None) -> None:
        self._token = token
        self._lock = threading.RLock()

    def get(self) -> Token | None:
        return self._token

    def save(self, token: Token) -> None:
        self._token = token

    def clear(self) -> None:
        self._token = None

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        with self._lock:
            yield

    def __repr__(self) -> str:
        return f"MemoryTokenBackend({self._token!r})"


class FileTokenBackend(TokenBackend):
    """Keeps the token in a JSON file, for scripts and cron jobs on one machine.

    The refresh lock is an OS lock (``fcntl.flock``; ``msvcrt.locking`` on Windows) on
    a ``.lock`` file beside it, so separate processes never refresh at the same time.
    The file is written atomically (temporary file, then rename) with mode 0600.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.RLock()

    def get(self) -> Token | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Token.from_dict(data)
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as err:
            raise TeamleaderConfigurationError(
                f"{self.path} is not a token file written by FileTokenBackend ({type(err).__name__}); "
                "delete it and authorise again."
            ) from err

    def save(self, token: Token) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(token.to_dict(), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        # flock is per open file description, so threads of one process also need
        # the thread lock (two threads would otherwise both "hold" it).
        with self._thread_lock:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.lock_path, "a+b") as fh:
                _lock_file(fh.fileno())
                try:
                    yield
                finally:
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
