"""``DatabaseTokenBackend``: the connection in one database row, outside the caller's transaction.

Teamleader's refresh tokens are single-use: once the token endpoint has answered, the
old refresh token is dead, so the new pair must be stored for good whatever happens
next. Three rules make that hold in every production setup:

* **The token's writes never join the caller's transaction.** When the calling thread's
  connection is inside ``transaction.atomic()`` (``ATOMIC_REQUESTS``, a task wrapped in a
  transaction, …), the lock, the locking read and every write run on a connection of
  their own: a short-lived helper thread, which Django gives its own connection, opened
  for the refresh and closed after it (about once an hour). The rotated pair is committed
  before the lock is released, and a later rollback of the caller's transaction cannot
  undo it. Outside a transaction (autocommit) the thread's own connection is used, since
  its commit is just as final. Inside a *test case's* transaction (Django's ``TestCase``,
  pytest-django's ``db``) the thread's own connection is used too, because only it can
  see the test's uncommitted rows; such a test rolls back everything anyway.
* **Decisions are taken on the locking read.** :meth:`DatabaseTokenBackend.lock` takes
  ``SELECT … FOR UPDATE`` on the row and yields the row it read: the newest committed
  version, never an older snapshot (a plain re-read at MySQL/MariaDB's REPEATABLE READ
  would return the snapshot). The lock's own transaction runs at READ COMMITTED whatever
  the database's default, so that waiting for another worker's lock ends in reading its
  pair, not in a serialization error (PostgreSQL's REPEATABLE READ). SQLite has no row
  locks: there a no-op ``UPDATE`` of the row takes the database-wide write lock.
* **Reading is cheap.** :meth:`DatabaseTokenBackend.get`, run before every API call, is
  one ``SELECT`` on the thread's own connection with no lock and no write, and its answer
  is reused for ``cache_seconds`` (1 s by default) by every thread of the process. A pair
  another worker rotated within that second is still valid; if Teamleader refuses it, the
  refresh path finds the new pair under the lock. The cache is off inside a test case's
  transaction and forgotten whenever this process writes the row.

SQLite cannot give a second connection the write lock while the caller's transaction
holds it, so on SQLite the token's writes stay on the thread's connection and a rollback
of a surrounding transaction still undoes a refresh (a warning is logged when that can
happen). Use PostgreSQL or MySQL/MariaDB for sites that wrap requests in transactions.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator

from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone

from teamleader._checks import Arguments, seconds
from teamleader.connection import ConnectionRecord
from teamleader.token import Token
from teamleader.token_backends import TokenBackend

from .conf import improperly_configured, teamleader_settings
from .models import TeamleaderToken, as_aware

__all__ = ["DatabaseTokenBackend"]

logger = logging.getLogger("teamleader")

PK = TeamleaderToken.SINGLETON_PK
Run = Callable[..., Any]

# Every backend of this process, so that a change of the row made through the ORM
# (or a test's flush) forgets their cached token at once.
_instances: weakref.WeakSet[DatabaseTokenBackend] = weakref.WeakSet()


class DatabaseTokenBackend(TokenBackend):
    """Stores the connection in the :class:`~teamleader.django.models.TeamleaderToken` row.

    ``using`` is the database alias; by default ``TEAMLEADER["DATABASE"]`` or, when that
    is unset, whatever the database routers pick for writes. ``cache_seconds`` is how long
    a read token is reused by this process (0 reads the row before every call).
    """

    def __init__(self, using: str | None = None, *, cache_seconds: float = 1.0) -> None:
        arguments = Arguments()
        cache_seconds = arguments.check("cache_seconds", seconds, cache_seconds)
        if using is not None and using not in connections.settings:
            arguments.problems["using"] = _not_an_alias(using)
        arguments.raise_if_any()
        if using is None and teamleader_settings.DATABASE is not None:
            using = teamleader_settings.DATABASE
            if not isinstance(using, str) or using not in connections.settings:
                raise improperly_configured({'"DATABASE"': _not_an_alias(using)})
        self.db: str = using or router.db_for_write(TeamleaderToken)
        self.cache_seconds = cache_seconds
        self._cached: tuple[float, Token | None] | None = None
        # The newest pair this process read under the lock or wrote: a plain read inside a
        # REPEATABLE READ transaction may return an older snapshot of the row.
        self._newest: Token | None = None
        self._held = threading.local()  # how to reach the connection of the lock this thread holds
        _instances.add(self)

    def __repr__(self) -> str:
        return f"DatabaseTokenBackend(using={self.db!r})"

    # -- reading -------------------------------------------------------------------------
    def get(self) -> Token | None:
        """The stored pair: one ``SELECT`` (none while the cached answer is fresh), no lock, no write."""
        connection = connections[self.db]
        in_test_case = _in_test_case(connection)
        cached = self._cached
        if cached is not None and time.monotonic() < cached[0] and not in_test_case:
            return cached[1]
        with connection.cursor() as cursor:
            cursor.execute(_select_sql(self.db, connection.vendor))
            row = cursor.fetchone()
        token = None if row is None else Token(row[0], row[1], as_aware(row[2]), row[3] or "Bearer")
        newest = self._newest
        if (
            token is not None
            and newest is not None
            and newest.expires_at > token.expires_at
            and not in_test_case
        ):
            token = newest  # the row read is an older snapshot than what this process has seen
        self._remember(token)
        return token

    def read(self) -> ConnectionRecord | None:
        """The whole record; under :meth:`lock`, the row as the lock's connection sees it."""
        run = getattr(self._held, "run", None)
        if run is not None:
            return run(_read_row, self.db, True)  # the lock is held already: this only re-reads
        return _read_row(self.db, False)

    # -- writing -------------------------------------------------------------------------
    def write(self, record: ConnectionRecord) -> None:
        """Store ``record``; committed at once unless a lock of this backend is held."""
        run = getattr(self._held, "run", None)
        if run is not None:
            run(_write_row, self.db, record)
        else:
            with self._connection() as run:
                run(_write_row, self.db, record)
        self._remember(record.token, seen_for_sure=True)

    def clear(self) -> None:
        with self._connection() as run:
            run(_delete_row, self.db)
        self._remember(None, seen_for_sure=True)

    @contextlib.contextmanager
    def lock(self) -> Iterator[ConnectionRecord | None]:
        """Hold the row's lock until the block ends; yields the row as the locking read saw it."""
        if getattr(self._held, "run", None) is not None:  # re-entrant: save() inside lock()
            yield self.read()
            return
        with self._connection() as run:
            atomic = run(_begin, self.db)
            try:
                record = run(_read_row, self.db, True)
                self._remember(record.token if record else None, seen_for_sure=True)
                self._held.run = run
                try:
                    yield record
                finally:
                    self._held.run = None
            except BaseException as exc:
                run(atomic.__exit__, type(exc), exc, exc.__traceback__)
                raise
            run(atomic.__exit__, None, None, None)

    # -- helpers -------------------------------------------------------------------------
    def _remember(self, token: Token | None, *, seen_for_sure: bool = False) -> None:
        """Reuse ``token`` for ``cache_seconds``; ``seen_for_sure``: read under the lock or written."""
        self._cached = (time.monotonic() + self.cache_seconds, token) if self.cache_seconds else None
        if seen_for_sure:
            self._newest = token

    def forget(self) -> None:
        """Drop what this process remembers of the row: the next :meth:`get` reads it."""
        self._cached = None
        self._newest = None

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Run]:
        """Where the token's writes run: a function ``run(fn, *args)``.

        The thread's own connection unless it is inside a transaction that is not a test
        case's; then a helper thread's connection, so the caller's rollback cannot reach it.
        """
        connection = connections[self.db]
        if _in_test_case(connection) or not (connection.in_atomic_block or not connection.get_autocommit()):
            yield _here
        elif connection.vendor == "sqlite":
            logger.warning(
                "Saving the Teamleader token inside an open transaction on SQLite %r: SQLite cannot commit it "
                "separately, so if that transaction rolls back, a rotated token is lost and Teamleader must be "
                "connected again. Use PostgreSQL or MySQL, or keep Teamleader calls out of transactions.",
                self.db,
            )
            yield _here
        else:
            with _OwnConnection(self.db) as run:
                yield run


def _here(fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


class _OwnConnection:
    """Runs functions in a helper thread, whose Django connection is not the caller's."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="teamleader-token")

    def __enter__(self) -> Run:
        return self.run

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self._pool.submit(fn, *args).result()

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.run(_close, self.alias)
        finally:
            self._pool.shutdown(wait=True)


def _close(alias: str) -> None:
    connections[alias].close()


def _in_test_case(connection: Any) -> bool:
    """Whether the connection is inside a test case's transaction (Django's own marker)."""
    blocks = connection.atomic_blocks
    return bool(blocks) and getattr(blocks[0], "_from_testcase", False)


def _begin(db: str) -> Any:
    """Open the lock's transaction, at READ COMMITTED when it is a transaction of its own.

    A locking read must wait for a worker that holds the row and then see what it
    committed. At REPEATABLE READ, PostgreSQL (and MariaDB with
    ``innodb_snapshot_isolation``) would instead fail the read with a serialization
    error, since the row changed after the transaction's snapshot.
    """
    connection = connections[db]
    own_transaction = not connection.in_atomic_block
    atomic = transaction.atomic(using=db)
    atomic.__enter__()
    if own_transaction and connection.vendor in ("postgresql", "mysql"):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        except BaseException as exc:
            atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
    return atomic


def _read_row(db: str, for_update: bool) -> ConnectionRecord | None:
    rows = TeamleaderToken.objects.using(db).filter(pk=PK)
    if for_update:
        connection = connections[db]
        if connection.vendor == "sqlite":
            _take_sqlite_write_lock(connection, timeout=2 * float(teamleader_settings.TIMEOUT) + 30)
        else:
            rows = rows.select_for_update()
    row = rows.first()
    return row.to_record() if row is not None else None


def _write_row(db: str, record: ConnectionRecord) -> None:
    fields = {**TeamleaderToken.fields_for(record), "updated_at": timezone.now()}
    with transaction.atomic(using=db):
        if TeamleaderToken.objects.using(db).filter(pk=PK).update(**fields):
            return
        try:
            with transaction.atomic(using=db):
                TeamleaderToken.objects.using(db).create(pk=PK, **fields)
        except IntegrityError:  # another worker inserted it first: overwrite theirs
            TeamleaderToken.objects.using(db).filter(pk=PK).update(**fields)


def _delete_row(db: str) -> None:
    TeamleaderToken.objects.using(db).filter(pk=PK).delete()


_select_cache: dict[tuple[str, str], str] = {}


def _select_sql(db: str, vendor: str) -> str:
    """The ORM's SQL for reading the pair, with the (integer) primary key inlined.

    Built once per database: building it per call would cost more than the query. Without
    parameters the backend has nothing to convert per call (SQLite's cursor wrapper
    rewrites ``%s`` placeholders with a regex on every execute).
    """
    sql = _select_cache.get((db, vendor))
    if sql is None:
        query = TeamleaderToken.objects.filter(pk=PK).values_list(*_COLUMNS).query
        compiled, params = query.get_compiler(using=db).as_sql()
        sql = _select_cache[(db, vendor)] = compiled % tuple(int(p) for p in params)
    return sql


_COLUMNS = ("access_token", "refresh_token", "expires_at", "token_type")


def _take_sqlite_write_lock(connection: Any, *, timeout: float) -> None:
    """Make this transaction SQLite's one writer now, waiting for a current writer to finish."""
    table = connection.ops.quote_name(TeamleaderToken._meta.db_table)
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            try:
                cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [PK])  # noqa: S608 - quoted name
                return
            except OperationalError as err:
                if "locked" not in str(err) or time.monotonic() >= deadline:
                    raise


def _not_an_alias(value: Any) -> str:
    return f"must name an alias of settings.DATABASES ({', '.join(connections.settings)}), got {value!r}."


def _forget_everywhere(**kwargs: Any) -> None:
    for backend in list(_instances):
        backend.forget()


post_save.connect(_forget_everywhere, sender=TeamleaderToken, dispatch_uid="teamleader.token_store.save")
post_delete.connect(_forget_everywhere, sender=TeamleaderToken, dispatch_uid="teamleader.token_store.delete")
# A test's flush (TransactionTestCase) empties the table without signals, then migrates.
post_migrate.connect(_forget_everywhere, dispatch_uid="teamleader.token_store.migrate")
