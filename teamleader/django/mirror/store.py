"""Writing Teamleader records into the mirror: bulk upserts, deletions and the change signal.

Both the sync and webhook processing write through here, so they agree on what a change
is: a record whose ``data`` differs from the stored one. An incoming record older than
the stored one (by Teamleader's ``updated_at``) is left out, so a slow sync page cannot
undo what a webhook already brought in. :data:`~teamleader.django.signals.teamleader_mirror_changed`
is sent once the transaction commits, with the ids that really changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from ..signals import teamleader_mirror_changed
from .resources import Resource, normal_id

__all__ = ["Changes", "delete_records", "write_records"]

logger = logging.getLogger(__name__)

Record = dict[str, Any]
_CHUNK = 500


@dataclass
class Changes:
    """Ids by what happened to them (strings, as Teamleader sends them)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    #: Incoming records older than the stored ones, hence not written.
    stale: list[str] = field(default_factory=list)

    def add(self, other: Changes) -> None:
        for name in ("created", "updated", "unchanged", "deleted", "stale"):
            getattr(self, name).extend(getattr(other, name))


def _announce(resource: Resource, changes: Changes, using: str) -> None:
    model = resource.model
    for action in ("created", "updated", "deleted"):
        ids = list(getattr(changes, action))
        if ids:
            transaction.on_commit(
                partial(teamleader_mirror_changed.send, sender=model, model=model, ids=ids, action=action),
                using=using,
            )


def _older(incoming: Record, stored: Record) -> bool:
    new, old = incoming.get("updated_at"), stored.get("updated_at")
    if not isinstance(new, str) or not isinstance(old, str):
        return False
    try:
        from teamleader.models.parsers import parse_datetime

        return parse_datetime(new) < parse_datetime(old)
    except ValueError:
        return False


def write_records(
    resource: Resource, records: Iterable[Record], *, first_position: int | None = None
) -> Changes:
    """Upsert ``records`` (one page or one batch) in one transaction; what changed.

    Joins the caller's transaction when there is one, so a caller can store its own
    bookkeeping atomically with the page. ``first_position`` is the list position of the
    first record, for resources that keep Teamleader's order (deal phases); without it
    stored positions are left as they are.
    """
    model = resource.model
    using = router.db_for_write(model)
    by_id: dict[str, tuple[int, Record]] = {}
    for index, record in enumerate(records):
        key = normal_id(record.get("id")) if isinstance(record, dict) else None
        if key is None:
            logger.warning("Skipped a %s record without a valid id.", resource.name)
            continue
        by_id[key] = ((first_position or 0) + index, record)
    changes = Changes()
    if not by_id:
        return changes
    now = timezone.now()
    with transaction.atomic(using=using, savepoint=False):
        _write_lock(model, using)
        stored = {
            str(pk): data
            for pk, data in model._default_manager.using(using)
            .select_for_update()
            .filter(pk__in=list(by_id))
            .values_list("pk", "data")
        }
        rows = []
        for record_id, (position, record) in by_id.items():
            old = stored.get(record_id)
            if old is None:
                changes.created.append(record_id)
            elif _older(record, old):
                changes.stale.append(record_id)
                continue
            elif old == record:
                changes.unchanged.append(record_id)
            else:
                changes.updated.append(record_id)
            extra = {"position": position} if resource.keeps_order and first_position is not None else {}
            rows.append(model(id=record_id, data=record, synced_at=now, **resource.columns(record), **extra))
        keep = () if first_position is not None else ("position",)
        _upsert(model, rows, using, keep=keep)
        _announce(resource, changes, using)
    return changes


def _write_lock(model: Any, using: str) -> None:
    """On SQLite, take the database's write lock first.

    A transaction that reads and then writes cannot wait for another writer there: its
    upgrade fails at once with "database is locked". A write that changes nothing makes
    the transaction a writer from the start, so it waits its turn instead (``timeout``).
    Other databases lock rows (``select_for_update``) and need nothing here.
    """
    conn = connections[using]
    if conn.vendor == "sqlite":
        table = conn.ops.quote_name(model._meta.db_table)
        with conn.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET synced_at = synced_at WHERE 0 = 1")  # noqa: S608


def _upsert(model: Any, rows: list[Any], using: str, keep: tuple[str, ...] = ()) -> None:
    if not rows:
        return
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.attname not in keep]
    # MySQL/MariaDB upsert on any unique key and refuse to be told which one.
    with_target = connections[using].features.supports_update_conflicts_with_target
    model._default_manager.using(using).bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["id"] if with_target else None,
        update_fields=fields,
    )


def delete_records(resource: Resource, ids: Iterable[str]) -> Changes:
    """Remove the records with these ids (those present); announced as ``deleted``."""
    model = resource.model
    using = router.db_for_write(model)
    wanted = list(dict.fromkeys(key for key in map(normal_id, ids) if key is not None))
    changes = Changes()
    with transaction.atomic(using=using, savepoint=False):
        if wanted:
            _write_lock(model, using)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            present = [
                str(pk)
                for pk in model._default_manager.using(using)
                .filter(pk__in=chunk)
                .values_list("pk", flat=True)
            ]
            if present:
                model._default_manager.using(using).filter(pk__in=present).delete()
                changes.deleted.extend(present)
        _announce(resource, changes, using)
    return changes
