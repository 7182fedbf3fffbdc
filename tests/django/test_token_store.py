"""TeamleaderToken and DatabaseTokenBackend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teamleader import Token
from teamleader.django.models import TeamleaderToken
from teamleader.django.token_store import DatabaseTokenBackend

from ..factories import TeamleaderTokenFactory

pytestmark = pytest.mark.django_db


def make(access="A" * 40, refresh="R" * 40, minutes=60):
    return Token(access, refresh, timezone.now() + dt.timedelta(minutes=minutes))


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


def test_save_replaces_both_tokens_keeps_metadata_and_marks_the_refresh():
    TeamleaderTokenFactory(refreshed_at=None)
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


def test_save_locks_the_row_inside_a_transaction():
    TeamleaderTokenFactory()
    with CaptureQueriesContext(connection) as queries:
        DatabaseTokenBackend().save(make("B" * 40, "S" * 40))
    sql = [q["sql"].upper() for q in queries.captured_queries]
    selects = [s for s in sql if s.startswith("SELECT")]
    assert len(selects) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in selects[0]
    assert any(s.startswith("UPDATE") for s in sql)


def test_get_is_one_query_and_no_write():
    TeamleaderTokenFactory()
    with CaptureQueriesContext(connection) as queries:
        DatabaseTokenBackend().get()
    assert len(queries) == 1
    assert queries.captured_queries[0]["sql"].upper().startswith("SELECT")


def test_expires_at_comes_back_timezone_aware():
    TeamleaderTokenFactory()
    token = DatabaseTokenBackend().get()
    assert token.expires_at.tzinfo is not None
    assert not token.is_expired()


def test_lock_takes_the_row_lock(django_db_blocker):
    TeamleaderTokenFactory()
    backend = DatabaseTokenBackend()
    with CaptureQueriesContext(connection) as queries:
        with backend.lock():
            pass
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    if connection.vendor == "sqlite":
        assert "UPDATE" in sql  # takes SQLite's write lock for the transaction
    else:
        assert "FOR UPDATE" in sql


def test_repr_names_the_database_only():
    row = TeamleaderTokenFactory()
    assert repr(DatabaseTokenBackend()) == "DatabaseTokenBackend(using='default')"
    assert row.access_token not in repr(DatabaseTokenBackend())


def test_the_database_setting_picks_the_alias(settings):
    settings.TEAMLEADER = {**settings.TEAMLEADER, "DATABASE": "default"}
    assert DatabaseTokenBackend().db == "default"
    assert DatabaseTokenBackend(using="other").db == "other"  # an explicit alias wins


def test_a_refresh_inside_an_open_transaction_warns_about_rollbacks(caplog):
    from django.db import transaction

    TeamleaderTokenFactory()
    with transaction.atomic():
        with DatabaseTokenBackend().lock():
            pass
    assert "if it rolls back, the rotated token is lost" in caplog.text
    assert "TEAMLEADER['DATABASE']" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_no_warning_outside_a_transaction(caplog):
    TeamleaderTokenFactory()
    with DatabaseTokenBackend().lock():
        pass
    assert "rolls back" not in caplog.text
