"""TeamleaderToken and DatabaseTokenBackend: what is stored, what it costs, and which transaction it joins."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teamleader import Token
from teamleader.connection import CONNECTED, REAUTHORIZATION_NEEDED
from teamleader.django.client import get_token_backend
from teamleader.django.models import TeamleaderToken
from teamleader.django.token_store import DatabaseTokenBackend

from ..factories import TeamleaderTokenFactory

pytestmark = pytest.mark.django_db


def make(access="A" * 40, refresh="R" * 40, minutes=60):
    return Token(access, refresh, timezone.now() + dt.timedelta(minutes=minutes))


class Rollback(Exception):
    pass


def test_singleton_pk_is_pinned_on_every_save():
    first = TeamleaderToken(access_token="a", refresh_token="r", expires_at=timezone.now())
    first.save()
    second = TeamleaderToken(id=42, access_token="b", refresh_token="s", expires_at=timezone.now())
    second.save()
    assert TeamleaderToken.objects.count() == 1
    assert TeamleaderToken.objects.get().access_token == "b"
    assert second.pk == 1


def test_str_and_repr_never_show_tokens():
    row = TeamleaderTokenFactory()
    assert row.access_token not in repr(row) and row.refresh_token not in repr(row)
    assert row.access_token not in str(row) and str(row) == "Teamleader connection (Ada Lovelace)"
    assert row.masked_access_token == row.access_token[:4] + "…"
    record = DatabaseTokenBackend().read()
    assert row.access_token not in repr(record) and row.refresh_token not in repr(record)


def test_get_save_clear_round_trip():
    backend = DatabaseTokenBackend()
    assert backend.get() is None
    token = make()
    backend.save(token)
    assert backend.get() == token
    newer = make("B" * 40, "S" * 40)
    backend.save(newer)
    assert backend.get() == newer
    assert TeamleaderToken.objects.count() == 1
    backend.clear()
    assert backend.get() is None


def test_the_whole_connection_is_read_back_as_a_record():
    row = TeamleaderTokenFactory(
        teamleader_account_id="acc-1", status=REAUTHORIZATION_NEEDED, problem="refused"
    )
    record = DatabaseTokenBackend().read()
    assert record.token == row.to_token()
    assert (record.user_id, record.user_name, record.user_email, record.account_id) == (
        "u-1",
        "Ada Lovelace",
        "ada@example.com",
        "acc-1",
    )
    assert record.scopes == ("contacts", "companies", "deals", "users")
    assert (record.connected_by, record.status, record.problem) == (
        "admin",
        REAUTHORIZATION_NEEDED,
        "refused",
    )
    assert record.connected_at.tzinfo is not None


def test_save_replaces_both_tokens_keeps_who_connected_and_marks_the_refresh():
    TeamleaderTokenFactory(refreshed_at=None, status=REAUTHORIZATION_NEEDED, problem="refused")
    newer = make("B" * 40, "S" * 40)
    DatabaseTokenBackend().save(newer)
    row = TeamleaderToken.objects.get()
    assert (row.access_token, row.refresh_token, row.expires_at) == (
        newer.access_token,
        newer.refresh_token,
        newer.expires_at,
    )
    assert row.teamleader_user_name == "Ada Lovelace"
    assert row.refreshed_at is not None
    assert (row.status, row.problem) == (CONNECTED, "")


def test_update_changes_who_connected_and_never_the_pair():
    row = TeamleaderTokenFactory()
    DatabaseTokenBackend().update(user_name="Grace Hopper", connected_by="ops")
    stored = TeamleaderToken.objects.get()
    assert (stored.teamleader_user_name, stored.connected_by) == ("Grace Hopper", "ops")
    assert (stored.access_token, stored.refresh_token) == (row.access_token, row.refresh_token)


def test_get_is_one_query_and_no_write():
    TeamleaderTokenFactory()
    with CaptureQueriesContext(connection) as queries:
        DatabaseTokenBackend().get()
    assert len(queries) == 1
    assert queries.captured_queries[0]["sql"].upper().startswith("SELECT")


def test_inside_a_test_case_every_get_sees_the_rows_of_the_test():
    backend = DatabaseTokenBackend(cache_seconds=60)
    assert backend.get() is None
    row = TeamleaderTokenFactory()
    assert backend.get() == row.to_token()
    TeamleaderToken.objects.filter(pk=1).update(access_token="changed-by-hand-" + "x" * 20)
    assert backend.get().access_token == "changed-by-hand-" + "x" * 20


@pytest.mark.django_db(transaction=True)
def test_outside_tests_a_read_token_is_reused_for_a_second_and_forgotten_on_change():
    TeamleaderTokenFactory(access_token="first-" + "x" * 30)
    backend = DatabaseTokenBackend(cache_seconds=60)
    assert backend.get().access_token == "first-" + "x" * 30
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            backend.get()
    assert len(queries) == 0  # a burst of calls reads the row once
    row = TeamleaderToken.objects.get()
    row.access_token = "second-" + "y" * 30
    row.save()  # a change through the ORM in this process
    assert backend.get().access_token == "second-" + "y" * 30
    backend.save(make("C" * 40, "D" * 40))
    assert backend.get().access_token == "C" * 40
    assert DatabaseTokenBackend(cache_seconds=0).get().access_token == "C" * 40


def test_expires_at_comes_back_timezone_aware():
    TeamleaderTokenFactory()
    token = DatabaseTokenBackend().get()
    assert token.expires_at.tzinfo is not None
    assert not token.is_expired()


def test_repr_names_the_database_only():
    row = TeamleaderTokenFactory()
    assert repr(DatabaseTokenBackend()) == "DatabaseTokenBackend(using='default')"
    assert row.access_token not in repr(DatabaseTokenBackend())


def test_the_database_setting_picks_the_alias(settings):
    settings.TEAMLEADER = {**settings.TEAMLEADER, "DATABASE": "default"}
    assert DatabaseTokenBackend().db == "default"
    settings.TEAMLEADER = {**settings.TEAMLEADER, "DATABASE": "tokens"}
    with pytest.raises(ImproperlyConfigured, match=r'"DATABASE" must name an alias of settings.DATABASES'):
        DatabaseTokenBackend()


def test_backend_options_come_from_settings_and_are_named_when_wrong(settings):
    settings.TEAMLEADER = {
        **settings.TEAMLEADER,
        "TOKEN_BACKEND_OPTIONS": {"using": "default", "cache_seconds": 0},
    }
    backend = get_token_backend()
    assert (backend.db, backend.cache_seconds) == ("default", 0)
    assert get_token_backend() is backend  # one instance per settings generation
    settings.TEAMLEADER = {**settings.TEAMLEADER, "TOKEN_BACKEND_OPTIONS": {"using": "tokens"}}
    with pytest.raises(
        ImproperlyConfigured, match=r'TEAMLEADER\["TOKEN_BACKEND_OPTIONS"\]\["using"\] must name'
    ):
        get_token_backend()


def test_lock_yields_the_row_it_locked():
    row = TeamleaderTokenFactory()
    with DatabaseTokenBackend().lock() as record:
        assert record.token == row.to_token()


# -- transactions: real commits, so these tests run outside a test case's transaction ---------
@pytest.mark.django_db(transaction=True)
def test_a_pair_saved_inside_a_transaction_survives_its_rollback():
    original = TeamleaderTokenFactory()
    newer = make("N" * 40, "M" * 40)
    with pytest.raises(Rollback), transaction.atomic():
        DatabaseTokenBackend().save(newer)
        raise Rollback
    stored = TeamleaderToken.objects.get()
    if connection.vendor == "sqlite":  # the documented exception: SQLite commits only with the caller
        assert stored.access_token == original.access_token
    else:
        assert (stored.access_token, stored.refresh_token) == (newer.access_token, newer.refresh_token)


@pytest.mark.django_db(transaction=True)
def test_the_lock_sees_a_pair_committed_after_the_callers_transaction_read_it():
    TeamleaderTokenFactory(access_token="old-" + "a" * 30)
    backend = DatabaseTokenBackend(cache_seconds=0)
    newer = make("N" * 40, "M" * 40)
    with transaction.atomic():
        assert backend.get().access_token == "old-" + "a" * 30  # the caller's transaction has read it
        if connection.vendor != "sqlite":  # SQLite: the caller's transaction holds no snapshot to hide it
            other = threading.Thread(target=lambda: (DatabaseTokenBackend().save(newer), connection.close()))
            other.start()
            other.join()
            with backend.lock() as record:
                assert record.token == newer


@pytest.mark.django_db(transaction=True)
def test_the_helper_thread_and_its_connection_are_gone_after_a_write():
    TeamleaderTokenFactory()
    with transaction.atomic():
        DatabaseTokenBackend().save(make("N" * 40, "M" * 40))
    assert not [t for t in threading.enumerate() if t.name.startswith("teamleader-token")]


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_save_inside_a_transaction_warns_that_a_rollback_loses_it(caplog):
    if connection.vendor != "sqlite":
        pytest.skip("other databases commit the token apart from the caller's transaction")
    TeamleaderTokenFactory()
    with transaction.atomic():
        DatabaseTokenBackend().save(make("N" * 40, "M" * 40))
    assert "if that transaction rolls back, a rotated token is lost" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_no_warning_outside_a_transaction(caplog):
    TeamleaderTokenFactory()
    DatabaseTokenBackend().save(make("N" * 40, "M" * 40))
    assert "rolls back" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_inside_a_repeatable_read_transaction_the_newest_pair_seen_wins_over_the_snapshot():
    if connection.vendor not in ("postgresql", "mysql"):
        pytest.skip("SQLite has no snapshot isolation to hide a rotation")
    TeamleaderTokenFactory(access_token="old-" + "a" * 30)
    backend = DatabaseTokenBackend(cache_seconds=0)
    newer = make("N" * 40, "M" * 40, minutes=120)
    if connection.vendor == "mysql":  # MySQL sets the level before the transaction starts
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        assert backend.get().access_token == "old-" + "a" * 30  # the snapshot is taken here
        other = threading.Thread(target=lambda: (DatabaseTokenBackend().save(newer), connection.close()))
        other.start()
        other.join()
        with backend.lock() as record:  # this process sees the rotation under the lock...
            assert record.token == newer
        assert backend.get() == newer  # ...and keeps using it, though the snapshot still says "old"
        assert TeamleaderToken.objects.get().access_token == "old-" + "a" * 30
