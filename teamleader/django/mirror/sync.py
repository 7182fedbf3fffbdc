"""``teamleader_sync``'s engine: copy each resource page by page, then only what changed.

A run reads one *pass*: ``*.list`` pages of 100 under a fixed filter (nothing on the
first run and with ``full``, else ``updated_since`` = the high-water mark less
``OVERLAP``). Each page is written (one bulk upsert) in the same transaction as the
checkpoint that says so, so a run stopped by an error or a kill resumes at the next page,
and memory holds one page at a time.

Pages are numbered, and Teamleader has no cursor, so the order is chosen for stability:
contacts and companies come newest ``updated_at`` first, deals newest ``created_at``
first. Then a record created or changed during the pass only moves to pages already read
(it is fetched by the next run, since the high-water mark never passes the moment the
pass began), and only a deletion moves unread records onto read pages. A deletion lowers
``meta.matches``, so the pass steps back as many pages as records vanished. Two cases
escape that check, and ``--full`` (e.g. nightly) reconciles them: a list without
``meta.matches``, and, for deals only, a deletion during a delta of several pages hidden
by a deal that entered the delta in the same instant (deals cannot be sorted by
``updated_at``, so such a deal does not go to the front).

A full pass ends by checking the records it did not see: their ids are asked for with
``filter.ids``; what Teamleader returns is refreshed, the rest is removed.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from teamleader.models.parsers import parse_datetime

from .conf import mirror_settings
from .fetch import list_data, refresh
from .locks import resource_lock
from .models import SyncState
from .resources import PAGE_SIZE, Resource, resolve
from .store import Changes, write_records

__all__ = ["Progress", "SyncResult", "sync", "sync_resource"]

UTC = dt.timezone.utc


@dataclass
class SyncResult:
    """What one resource's run did."""

    resource: str
    full: bool = False
    resumed: bool = False
    calls: int = 0
    fetched: int = 0
    changes: Changes = field(default_factory=Changes)
    seconds: float = 0.0

    def summary(self) -> str:
        c = self.changes
        kind = gettext("full") if self.full else gettext("changes")
        if self.resumed:
            kind = gettext("%(kind)s, resumed") % {"kind": kind}
        return ngettext(
            "%(resource)s (%(kind)s): %(fetched)s fetched, %(created)s created, %(updated)s updated, "
            "%(removed)s removed in %(calls)s call, %(seconds)s s",
            "%(resource)s (%(kind)s): %(fetched)s fetched, %(created)s created, %(updated)s updated, "
            "%(removed)s removed in %(calls)s calls, %(seconds)s s",
            self.calls,
        ) % {
            "resource": self.resource,
            "kind": kind,
            "fetched": self.fetched,
            "created": len(c.created),
            "updated": len(c.updated),
            "removed": len(c.deleted),
            "calls": self.calls,
            "seconds": f"{self.seconds:.1f}",
        }


class Progress(Protocol):
    """What a caller may watch: a pass starting, pages arriving, the run ending."""

    def start(self, resource: Resource, resumed_at: int) -> None: ...
    def page(self, resource: Resource, fetched: int, total: int | None) -> None: ...
    def finish(self, result: SyncResult) -> None: ...


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def _db(value: dt.datetime | None) -> dt.datetime | None:
    from .resources import _when

    return _when(value)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _latest(records: list[dict[str, Any]]) -> dt.datetime | None:
    stamps = []
    for record in records:
        try:
            stamps.append(parse_datetime(record["updated_at"]))
        except (KeyError, TypeError, ValueError):
            continue
    return max(stamps, default=None)


def sync(
    names: list[str] | None = None,
    *,
    full: bool = False,
    progress: Progress | None = None,
    client: Any = None,
) -> list[SyncResult]:
    """Sync the named resources (all by default), in an order where references come first."""
    if client is None:
        from .. import get_client

        client = get_client()
    return [sync_resource(r, full=full, progress=progress, client=client) for r in resolve(names)]


def sync_resource(
    resource: Resource, *, full: bool = False, progress: Progress | None = None, client: Any = None
) -> SyncResult:
    """One run for one resource: resume the pass in progress, or start one; see the module doc.

    Raises :class:`~.locks.SyncAlreadyRunning` while another process syncs the same resource.
    """
    if client is None:
        from .. import get_client

        client = get_client()
    using = router.db_for_write(SyncState)
    with resource_lock(resource.name, using):
        return _sync_locked(resource, full, progress, client, using)


def _sync_locked(
    resource: Resource, full: bool, progress: Progress | None, client: Any, using: str
) -> SyncResult:
    clock = time.monotonic()
    state, _ = SyncState.objects.using(using).get_or_create(resource=resource.name)
    # A full run may not resume a pass with a filter; any run may finish a full pass.
    resumed = state.in_progress and (not full or state.pass_since is None)
    if not resumed:
        hwm = _aware(state.high_water_mark)
        since = None
        if resource.incremental and not full and hwm is not None:
            since = hwm - dt.timedelta(seconds=mirror_settings().overlap)
        state.pass_started_at, state.pass_since = _db(timezone.now()), _db(since)
        state.pass_page, state.pass_matches, state.pass_max_updated_at = 0, None, None
        state.save(using=using)
    result = SyncResult(resource.name, full=state.pass_since is None, resumed=resumed)
    if progress:
        progress.start(resource, state.pass_page)
    try:
        _read_pass(resource, state, client, result, progress, using)
        _finish_pass(resource, state, client, result, using)
    except Exception as err:
        SyncState.objects.using(using).filter(pk=state.pk).update(
            last_error=f"{type(err).__name__}: {err}"[:2000]
        )
        raise
    result.seconds = time.monotonic() - clock
    if progress:
        progress.finish(result)
    return result


def _read_pass(
    resource: Resource,
    state: SyncState,
    client: Any,
    result: SyncResult,
    progress: Progress | None,
    using: str,
) -> None:
    since = _aware(state.pass_since)
    page, previous = state.pass_page + 1, state.pass_matches
    while True:
        body = resource.body(since=_iso(since) if since else None, page=page)
        records, matches = list_data(client.call(resource.endpoint, body))
        result.calls += 1
        stored_page = page
        if matches is not None and previous is not None and matches < previous and page > 1:
            # Records vanished since the last page: unread ones moved onto read pages.
            stored_page = max(0, page - 1 - math.ceil((previous - matches) / PAGE_SIZE))
        latest = _latest(records)
        with transaction.atomic(using=using):
            result.changes.add(write_records(resource, records, first_position=(page - 1) * PAGE_SIZE))
            state.pass_page, state.pass_matches = stored_page, matches
            known = _aware(state.pass_max_updated_at)
            if latest is not None and (known is None or latest > known):
                state.pass_max_updated_at = _db(latest)
            state.save(using=using)
        result.fetched += len(records)
        if progress:
            progress.page(resource, result.fetched, matches)
        if stored_page < page:
            page, previous = stored_page + 1, matches
            continue
        if not records or (matches is not None and page * PAGE_SIZE >= matches):
            return
        if matches is None and len(records) < PAGE_SIZE:
            return
        page, previous = page + 1, matches


def _finish_pass(resource: Resource, state: SyncState, client: Any, result: SyncResult, using: str) -> None:
    started = _aware(state.pass_started_at)
    assert started is not None
    since = _aware(state.pass_since)
    if since is None:  # a full pass: what it did not see may be gone
        unseen = resource.model._default_manager.using(using).filter(synced_at__lt=state.pass_started_at)
        refreshed = refresh(resource, [str(pk) for pk in unseen.values_list("pk", flat=True)], client)
        result.calls += refreshed.calls
        result.changes.add(refreshed)
    hwm = _aware(state.high_water_mark)
    latest = _aware(state.pass_max_updated_at)
    if resource.incremental and latest is not None:
        # Changes made while the pass ran may sit on pages already read: never go past its start.
        candidate = min(latest, started)
        if hwm is None or candidate > hwm:
            hwm = candidate
    now = timezone.now()
    state.high_water_mark = _db(hwm)
    state.last_completed_at = _db(now)
    if since is None:
        state.last_full_at = _db(now)
    state.last_error = ""
    state.pass_started_at = state.pass_since = state.pass_matches = state.pass_max_updated_at = None
    state.pass_page = 0
    state.save(using=using)
