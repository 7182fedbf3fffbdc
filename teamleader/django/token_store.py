"""``DatabaseTokenBackend``: the token pair in the database, refreshed under a row lock.

How the refresh is serialised across processes (gunicorn, uWSGI, Celery workers):

* PostgreSQL, MySQL/MariaDB, Oracle: :meth:`DatabaseTokenBackend.lock` opens
  ``transaction.atomic()`` and takes ``SELECT … FOR UPDATE`` on the token row. The
  OAuth handler then re-reads the row, calls Teamleader's token endpoint while the
  lock is held, and saves the new pair in the same transaction. A second worker
  blocks on the row lock, then sees the new pair and uses it instead of sending the
  already-used refresh token.
* SQLite has no row locks. The lock issues a no-op ``UPDATE`` of the token row as
  the transaction's first statement, which takes SQLite's database-wide write lock
  for the rest of the transaction. That serialises refreshes across processes too,
  at a price: while a refresh waits on Teamleader (at most ``TIMEOUT`` seconds),
  other writes to the same SQLite file wait as well.

Reading a valid token is one ``SELECT`` and takes no lock.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from typing import Iterator

from django.conf import settings
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.utils import timezone

from teamleader.token import Token
from teamleader.token_backends import TokenBackend

from .conf import teamleader_settings
from .models import TeamleaderToken, as_aware

__all__ = ["DatabaseTokenBackend"]

logger = logging.getLogger("teamleader")

PK = TeamleaderToken.SINGLETON_PK


class DatabaseTokenBackend(TokenBackend):
    """Stores the token in the :class:`~teamleader.django.models.TeamleaderToken` row.

    ``using`` is the database alias; by default ``TEAMLEADER["DATABASE"]`` or, when
    that is unset, whatever the database routers pick for writes.
    """

    def __init__(self, using: str | None = None) -> None:
        self._using = using

    @property
    def db(self) -> str:
        return self._using or teamleader_settings.DATABASE or router.db_for_write(TeamleaderToken)

    def __repr__(self) -> str:
        return f"DatabaseTokenBackend(using={self.db!r})"

    def get(self) -> Token | None:
        """The stored token: one ``SELECT``, no lock, no write.

        This runs before every API call, so the query is built by the ORM once per
        database and then executed directly: building it each time would cost more
        than the query itself.
        """
        db = self.db
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(_select_sql(db, connection.vendor))
            row = cursor.fetchone()
        if row is None:
            return None
        access, refresh, expires_at, token_type = row
        return Token(access, refresh, as_aware(expires_at), token_type or "Bearer")

    def save(self, token: Token) -> None:
        """Replace both tokens atomically, under ``SELECT … FOR UPDATE`` of the row."""
        db = self.db
        with transaction.atomic(using=db):
            row = TeamleaderToken.objects.using(db).select_for_update().filter(pk=PK).first()
            if row is None:
                try:
                    with transaction.atomic(using=db):
                        TeamleaderToken(**_fields(token)).save(using=db, force_insert=True)
                    return
                except IntegrityError:  # another worker inserted it first: update theirs
                    row = TeamleaderToken.objects.using(db).select_for_update().get(pk=PK)
            for name, value in _fields(token).items():
                setattr(row, name, value)
            row.refreshed_at = timezone.now()
            row.save(using=db, update_fields=[*_fields(token), "refreshed_at", "updated_at"])

    def clear(self) -> None:
        TeamleaderToken.objects.using(self.db).filter(pk=PK).delete()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the token row's lock (SQLite: the database write lock) until the block ends."""
        db = self.db
        connection = connections[db]
        if connection.in_atomic_block:
            logger.warning(
                "Refreshing the Teamleader token inside an open transaction on %r: if it rolls back, the "
                "rotated token is lost and Teamleader must be connected again. Point TEAMLEADER['DATABASE'] "
                "at an alias without ATOMIC_REQUESTS to keep the token out of request transactions.",
                db,
            )
        with transaction.atomic(using=db):
            if connection.vendor == "sqlite":
                _take_sqlite_write_lock(connection, timeout=2 * float(teamleader_settings.TIMEOUT) + 30)
            else:
                list(TeamleaderToken.objects.using(db).select_for_update().filter(pk=PK).values_list("pk"))
            yield


@functools.cache
def _select_sql(db: str, vendor: str) -> str:
    """The ORM's SQL for reading the row, with the (integer) primary key inlined.

    Without parameters the backend has nothing to convert per call (SQLite's cursor
    wrapper rewrites ``%s`` placeholders with a regex on every execute).
    """
    query = TeamleaderToken.objects.filter(pk=PK).values_list(*_COLUMNS).query
    sql, params = query.get_compiler(using=db).as_sql()
    return sql % tuple(int(p) for p in params)  # type: ignore[call-overload]


_COLUMNS = ("access_token", "refresh_token", "expires_at", "token_type")


def _fields(token: Token) -> dict[str, object]:
    return {
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        # A site with USE_TZ = False stores naive local times; its backend refuses aware ones.
        "expires_at": token.expires_at if settings.USE_TZ else timezone.make_naive(token.expires_at),
        "token_type": token.token_type,
    }


def _take_sqlite_write_lock(connection, *, timeout: float) -> None:
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
