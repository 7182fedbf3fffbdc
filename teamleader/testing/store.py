"""The records of one emulated Teamleader account, kept in memory."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Context", "State"]

Record = dict[str, Any]


@dataclass
class State:
    """Every record of the account, keyed by id, in insertion order.

    Records are stored in their ``*.info`` shape; list endpoints derive theirs.
    """

    account: Record = field(default_factory=dict)
    users: dict[str, Record] = field(default_factory=dict)
    owner_id: str = ""
    companies: dict[str, Record] = field(default_factory=dict)
    contacts: dict[str, Record] = field(default_factory=dict)
    pipelines: dict[str, Record] = field(default_factory=dict)
    default_pipeline_id: str = ""
    #: Phases keyed by id; each holds its ``pipeline`` id and ``order`` privately.
    phases: dict[str, Record] = field(default_factory=dict)
    lost_reasons: dict[str, Record] = field(default_factory=dict)
    deals: dict[str, Record] = field(default_factory=dict)
    #: Registered webhooks: url -> event types.
    webhooks: dict[str, list[str]] = field(default_factory=dict)
    #: Deals get references ``YYYY/N``; the last N used.
    deal_counter: int = 0
    #: Records of the groups kept by ``api/records.py`` (products, invoices, …): group -> id -> record.
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    #: Ids held by the groups answered from the spec (``api/from_spec.py``): group -> ids.
    spec_records: dict[str, dict[str, None]] = field(default_factory=dict)
    #: Records deleted so far, by kind (``"contacts"``, …): id -> when (ISO 8601).
    deleted: dict[str, dict[str, str]] = field(default_factory=dict)

    def record_deletion(self, kind: str, record_id: str, when: str) -> None:
        """Remember that a record of ``kind`` was deleted, for tests that compare."""
        self.deleted.setdefault(kind, {})[record_id] = when


@dataclass
class Context:
    """What an API handler needs besides the state and the body."""

    now: Callable[[], float]
    user_id: str
    rng: random.Random
    max_page_size: int = 100
    #: Events a webhook would carry, appended by handlers: ``(type, subject_type, id)``.
    events: list[tuple[str, str, str]] = field(default_factory=list)

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def emit(self, event_type: str, subject_type: str, subject_id: str) -> None:
        self.events.append((event_type, subject_type, subject_id))
