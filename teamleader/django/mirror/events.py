"""The webhook event log: storing deliveries, and processing them into the mirror.

Storing is one ``INSERT`` (the webhook view answers right after). Processing claims
events (``pending`` → ``processing``, one ``UPDATE``, so two processors never take the same
event), groups them by resource and asks Teamleader for the records with
``*.list`` + ``filter.ids``, 100 ids a call: 500 events for 500 records cost 5 calls. A
``*.deleted`` event removes the record without a call; an id Teamleader no longer returns is
removed too, so the order in which events arrive does not matter (an ``updated`` that
arrives after its ``deleted`` finds nothing and leaves the record removed).

A group that fails (Teamleader down, rate limit, a bug) leaves its events ``failed`` with
the error; processing them again (``manage.py teamleader_webhooks process --failed``, the
Celery task, the admin's "Process again") is safe, since it reads the current state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from .fetch import refresh
from .models import WebhookEvent
from .resources import BY_SUBJECT
from .store import delete_records

__all__ = ["CLAIM_TIMEOUT", "Outcome", "process", "process_failed", "process_pending", "record_delivery"]

logger = logging.getLogger(__name__)

#: A claim older than this is taken to be from a processor that died; its events count as pending.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
#: Events claimed at a time (each resource's ids are then fetched 100 a call).
BATCH = 1000


@dataclass
class Outcome:
    """What one processing run did."""

    done: int = 0
    failed: int = 0
    calls: int = 0

    @property
    def processed(self) -> int:
        return self.done + self.failed

    def add(self, other: Outcome) -> None:
        self.done, self.failed, self.calls = (
            self.done + other.done,
            self.failed + other.failed,
            self.calls + other.calls,
        )


def _fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def record_delivery(payload: dict[str, Any]) -> tuple[WebhookEvent, bool]:
    """Store one delivery, or count it on the identical event still pending: ``(event, created)``.

    Processing is scheduled for after the current transaction commits (see
    :mod:`~teamleader.django.mirror.dispatch`). Runs in a savepoint, so a duplicate
    never breaks the caller's transaction.
    """
    from .dispatch import schedule_processing

    using = router.db_for_write(WebhookEvent)
    key = _fingerprint(payload)
    found = payload.get("subject")
    subject: dict[str, Any] = found if isinstance(found, dict) else {}
    for _ in range(3):  # a pending twin may be claimed between our two statements
        try:
            with transaction.atomic(using=using):
                event = WebhookEvent.objects.using(using).create(
                    received_at=timezone.now(),
                    event_type=str(payload.get("type"))[:100],
                    subject_type=str(subject.get("type") or "")[:50],
                    subject_id=str(subject.get("id") or "")[:64],
                    payload=payload,
                    pending_key=key,
                )
        except IntegrityError:
            twin = WebhookEvent.objects.using(using).filter(pending_key=key)
            if twin.update(deliveries=F("deliveries") + 1):
                found = twin.first()
                if found is not None:
                    return found, False
            continue
        transaction.on_commit(schedule_processing, using=using, robust=True)
        return event, True
    raise IntegrityError(
        "could not store the webhook delivery"
    )  # pragma: no cover - needs a pathological race


def _claim(condition: Q, limit: int, using: str) -> list[WebhookEvent]:
    events = WebhookEvent.objects.using(using)
    ids = list(events.filter(condition).order_by("received_at", "id").values_list("id", flat=True)[:limit])
    if not ids:
        return []
    stamp = timezone.now()
    events.filter(condition, id__in=ids).update(
        state=WebhookEvent.PROCESSING, claimed_at=stamp, pending_key=None, attempts=F("attempts") + 1
    )
    return list(
        events.filter(id__in=ids, state=WebhookEvent.PROCESSING, claimed_at=stamp).order_by(
            "received_at", "id"
        )
    )


def _pending() -> Q:
    stale = timezone.now() - CLAIM_TIMEOUT
    return Q(state=WebhookEvent.PENDING) | Q(state=WebhookEvent.PROCESSING, claimed_at__lt=stale)


def process_pending(*, limit: int | None = None, client: Any = None) -> Outcome:
    """Process every pending event (and those of a processor that died), oldest first."""
    return _process_while(_pending, limit, client)


def process_failed(*, limit: int | None = None, client: Any = None) -> Outcome:
    """Process the failed events again (and whatever is pending with them)."""
    return _process_while(lambda: Q(state=WebhookEvent.FAILED) | _pending(), limit, client)


def process(ids: list[int], *, client: Any = None) -> Outcome:
    """Process these events now, whatever their state (the admin's "Process again")."""
    using = router.db_for_write(WebhookEvent)
    condition = Q(id__in=ids) & ~(
        Q(state=WebhookEvent.PROCESSING) & Q(claimed_at__gte=timezone.now() - CLAIM_TIMEOUT)
    )
    return _run(_claim(condition, len(ids), using), client, using)


def _process_while(condition: Any, limit: int | None, client: Any) -> Outcome:
    using = router.db_for_write(WebhookEvent)
    outcome = Outcome()
    while limit is None or outcome.processed < limit:
        size = BATCH if limit is None else min(BATCH, limit - outcome.processed)
        claimed = _claim(condition(), size, using)
        if not claimed:
            break
        outcome.add(_run(claimed, client, using))
    return outcome


def _run(events: list[WebhookEvent], client: Any, using: str) -> Outcome:
    outcome = Outcome()
    if not events:
        return outcome
    groups: dict[str, list[WebhookEvent]] = defaultdict(list)
    for event in events:
        groups[event.subject_type if event.subject_type in BY_SUBJECT else ""].append(event)
    for subject_type, group in groups.items():
        ids = [e.id for e in group]
        if not subject_type:  # not a mirrored record (invoice.booked, …): nothing to do
            _settle(ids, WebhookEvent.DONE, "", using)
            outcome.done += len(ids)
            continue
        resource = BY_SUBJECT[subject_type]
        gone = {e.subject_id for e in group if e.event_type.endswith(".deleted")}
        changed = {e.subject_id for e in group} - gone
        try:
            if client is None:
                from .. import get_client

                client = get_client()
            delete_records(resource, gone)
            outcome.calls += refresh(resource, sorted(changed), client).calls
        except Exception as err:
            logger.warning(
                "Processing %d %s webhook events failed (%s); they are marked failed.",
                len(ids), subject_type, type(err).__name__,
            )  # fmt: skip
            _settle(ids, WebhookEvent.FAILED, f"{type(err).__name__}: {err}"[:2000], using)
            outcome.failed += len(ids)
        else:
            _settle(ids, WebhookEvent.DONE, "", using)
            outcome.done += len(ids)
    return outcome


def _settle(ids: list[int], state: str, error: str, using: str) -> None:
    WebhookEvent.objects.using(using).filter(id__in=ids).update(
        state=state, last_error=error, processed_at=timezone.now(), claimed_at=None
    )
