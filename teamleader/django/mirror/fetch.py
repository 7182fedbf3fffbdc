"""Bringing named records up to date: ``*.list`` with ``filter.ids``, 100 ids a call.

What Teamleader returns is written; an id it does not return no longer exists there
and is removed from the mirror. Used by webhook processing, the admin's "Sync selected
from Teamleader" and the end of a full sync. Never one ``*.info`` call per record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .resources import BY_NAME, PAGE_SIZE, Resource, normal_id
from .store import Changes, delete_records, logger, write_records

__all__ = ["Refreshed", "list_data", "refresh"]


@dataclass
class Refreshed(Changes):
    """:class:`~.store.Changes` plus the number of API calls it took."""

    calls: int = 0


def list_data(answer: Any) -> tuple[list[dict[str, Any]], int | None]:
    """The records of a ``*.list`` answer and its ``meta.matches`` (``None`` when absent)."""
    data = answer.get("data") if isinstance(answer, dict) else None
    meta = answer.get("meta") if isinstance(answer, dict) else None
    matches = meta.get("matches") if isinstance(meta, dict) else None
    if isinstance(matches, bool) or not isinstance(matches, int):
        matches = None
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else [], matches


def refresh(resource: Resource | str, ids: Iterable[str], client: Any = None) -> Refreshed:
    """Fetch these records from Teamleader and make the mirror agree, batch by batch.

    ``resource`` is a :class:`~.resources.Resource` or its name (``"deals"``). Use it right
    after your own code changed records in Teamleader, to read them back at once instead of
    waiting for the webhook. Each batch is written in its own transaction as soon as it
    arrives; an API error stops at that batch (the earlier ones stay written).
    """
    if isinstance(resource, str):
        resource = BY_NAME[resource]
    if client is None:
        from .. import get_client

        client = get_client()
    wanted = list(dict.fromkeys(key for key in map(normal_id, ids) if key is not None))
    result = Refreshed()
    for start in range(0, len(wanted), PAGE_SIZE):
        batch = wanted[start : start + PAGE_SIZE]
        records, _ = list_data(client.call(resource.endpoint, resource.body(ids=batch)))
        result.calls += 1
        found = {normal_id(r.get("id")) for r in records}
        unexpected = found - set(batch)
        if unexpected:  # Teamleader ignored the filter: never delete on such an answer
            logger.warning(
                "%s ignored filter.ids; %d records left as they are.", resource.endpoint, len(batch)
            )
            continue
        result.add(write_records(resource, records))
        result.add(delete_records(resource, [i for i in batch if i not in found]))
    return result
