"""Stateful emulation of a record group, declared in a few lines per group.

A :class:`Kind` keeps a group's records (products, invoices, tasks, …) in their ``*.info``
shape. A new record starts from the spec's ``*.info`` answer (so every field the spec
declares is there, with the spec's example values) and takes from the request what the
kind declares: plain ``fields`` copied as they are and ``refs`` (``department_id`` ->
``department: {"type": "department", "id": …}``). ``*.list`` filters, sorts and pages
them and shows each in the list answer's shape. Each group starts with a few seeded
records; their ids derive from the account, so the same seed gives the same records.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any, Callable, Iterable, Mapping

from ...webhook_types import WEBHOOK_TYPES
from ..listing import list_answer, parse_since, sort_records, with_ids
from ..store import Context, State
from ..timeutil import iso_datetime, parse_datetime
from ..validation import require_id
from .common import Created, custom_fields_in, ref, term_matches
from .from_spec import spec_answer

__all__ = ["KINDS", "Kind", "Record"]

Record = dict[str, Any]
Filter = Callable[[Record, Any], bool]
Handler = Callable[[State, "dict[str, Any]", Context], Any]
#: The moment seeded records were last touched (the seed's "now", 2025-06-02T09:00:00+00:00).
SEED_NOW = 1748854800
#: Every group emulated by a :class:`Kind`, by group name.
KINDS: dict[str, Kind] = {}
_STAMPS = ("added_at", "created_at", "updated_at")


def _data(endpoint: str) -> Any:
    answer = spec_answer(endpoint)
    return answer["body"]["data"] if answer and answer["body"] else None


def since(field: str) -> Filter:
    """A filter keeping records whose ``field`` is at or after the given moment."""
    return lambda r, value: bool(r.get(field)) and parse_datetime(r[field]) >= parse_since(value, "filter")


def before(field: str) -> Filter:
    return lambda r, value: bool(r.get(field)) and parse_datetime(r[field]) <= parse_since(value, "filter")


def equals(path: str) -> Filter:
    """A filter comparing ``record[a][b]…`` (``path`` ``"a.b"``) with the value."""

    def keep(record: Record, value: Any) -> bool:
        found: Any = record
        for key in path.split("."):
            found = found.get(key) if isinstance(found, Mapping) else None
        return found == value

    return keep


def _by(name: str) -> Callable[[Record], Any]:
    """A sort key for any field: missing values last, amounts by amount, the rest as text."""

    def key(record: Record) -> tuple[bool, Any]:
        value = record.get(name)
        if isinstance(value, Mapping) and "amount" in value:
            value = value["amount"]
        if isinstance(value, list):
            value = value[0] if value else None
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return value is None, value if number else str(value or "").lower()

    return key


def _project(value: Any, template: Any) -> Any:
    """``value`` cut to the keys of ``template`` at every depth (lists item by item)."""
    if isinstance(template, dict) and isinstance(value, Mapping):
        return {key: _project(value.get(key, sub), sub) for key, sub in template.items()}
    if isinstance(template, list) and template and isinstance(value, list):
        return [_project(item, template[0]) for item in value]
    return copy.deepcopy(value)


class Kind:
    """One stateful record group; see the module docstring."""

    def __init__(
        self,
        group: str,
        kind: str,
        *,
        fields: Iterable[str] = (),
        refs: Mapping[str, tuple[str, str]] | None = None,
        filters: Mapping[str, Filter] | None = None,
        terms: Iterable[str] = (),
        sorts: Mapping[str, Callable[[Record], Any]] | None = None,
        seeds: Iterable[Mapping[str, Any]] = (),
        event: str | None = None,
        created: str = "created",
    ) -> None:
        self.group, self.kind = group, kind
        self.fields, self.refs = tuple(fields), dict(refs or {})
        self.filters, self.terms, self.sorts = dict(filters or {}), tuple(terms), dict(sorts or {})
        self.seeds, self.event, self.created = list(seeds), event or kind, created
        listed = _data(f"{group}.list")
        self.list_template: Record = listed[0] if listed else {}
        self.template: Record = _data(f"{group}.info") or dict(self.list_template)
        KINDS[group] = self

    # -- records ----------------------------------------------------------------------------------
    def records(self, state: State) -> dict[str, Record]:
        """The group's records by id (seeded on first use)."""
        held = state.records.get(self.group)
        if held is None:
            held = state.records[self.group] = {}
            for index, body in enumerate(self.seeds):
                record_id = str(uuid.uuid5(uuid.UUID(state.account["id"]), f"{self.group}#{index}"))
                held[record_id] = self.new(record_id, body, SEED_NOW - 86400 * (len(self.seeds) - index))
        return held

    def new(self, record_id: str, body: Mapping[str, Any], now: float) -> Record:
        record = copy.deepcopy(self.template)
        record["id"] = record_id
        for stamp in _STAMPS:
            if stamp in record:
                record[stamp] = iso_datetime(now)
        self.apply(record, body)
        return record

    def apply(self, record: Record, body: Mapping[str, Any]) -> None:
        for name in self.fields:
            if name in body:
                record[name] = copy.deepcopy(body[name])
        for key, (name, kind) in self.refs.items():
            if key in body:
                record[name] = ref(kind, body[key])
        if "custom_fields" in body and "custom_fields" in record:
            record["custom_fields"] = custom_fields_in(body["custom_fields"])

    def get(self, state: State, body: Mapping[str, Any], field: str = "id") -> Record:
        return require_id(body, self.records(state), self.kind.capitalize(), field)

    def touch(self, record: Record, ctx: Context, event: str | None = None) -> None:
        if "updated_at" in record:
            record["updated_at"] = iso_datetime(ctx.now())
        self.emit(ctx, event or "updated", record["id"])

    def emit(self, ctx: Context, verb: str, record_id: str) -> None:
        if f"{self.event}.{verb}" in WEBHOOK_TYPES:
            ctx.emit(f"{self.event}.{verb}", self.kind, record_id)

    def shape(self, record: Record) -> Record:
        """A record as ``*.list`` shows it: the list answer's fields (nested too), taken from the record."""
        return _project(record, self.list_template)

    # -- handlers ---------------------------------------------------------------------------------
    def list(self, state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
        filters = body.get("filter") or {}
        records = list(self.records(state).values())
        if "ids" in filters:
            records = with_ids(records, filters["ids"])
        if "term" in filters and self.terms:
            records = [r for r in records if term_matches(filters["term"], [r.get(t) for t in self.terms])]
        for name, keep in self.filters.items():
            if name in filters:
                records = [r for r in records if keep(r, filters[name])]
        # The spec's rules already allow only its sort fields; any of them sorts by the record's value.
        wanted = [item.get("field") for item in body.get("sort") or [] if isinstance(item, dict)]
        keys = {**{name: _by(name) for name in wanted if isinstance(name, str)}, **self.sorts}
        records = sort_records(records, body, keys) if keys else records
        return list_answer(records, body, ctx, self.shape)

    def info(self, state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {"data": copy.deepcopy(self.get(state, body))}

    def create(self, state: State, body: dict[str, Any], ctx: Context) -> Created:
        record = self.new(ctx.new_id(), body, ctx.now())
        self.records(state)[record["id"]] = record
        self.emit(ctx, self.created, record["id"])
        return Created(self.kind, record["id"])

    def update(self, state: State, body: dict[str, Any], ctx: Context) -> None:
        record = self.get(state, body)
        self.apply(record, body)
        self.touch(record, ctx)

    def delete(self, state: State, body: dict[str, Any], ctx: Context) -> None:
        record = self.get(state, body)
        del self.records(state)[record["id"]]
        self.emit(ctx, "deleted", record["id"])

    def setter(self, verb: str | None = None, **values: Any) -> Handler:
        """A handler for an action that sets fields of the record named by ``id`` (``tasks.complete``)."""

        def handle(state: State, body: dict[str, Any], ctx: Context) -> None:
            record = self.get(state, body)
            for name, value in values.items():
                record[name] = value(ctx) if callable(value) else value
            self.touch(record, ctx, verb)

        return handle

    def endpoints(self, create: str, **actions: Handler) -> dict[str, Handler]:
        """``group.list``/``.info``/``.<create>``/``.update``/``.delete`` where the spec has them, plus ``actions``."""
        handlers: dict[str, Handler] = {
            "list": self.list,
            "info": self.info,
            create: self.create,
            "update": self.update,
            "delete": self.delete,
            **actions,
        }
        return {f"{self.group}.{a}": h for a, h in handlers.items() if spec_answer(f"{self.group}.{a}")}
