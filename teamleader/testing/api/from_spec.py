"""Every operation without a hand-written emulation, answered from the spec.

``answers.json`` (generated from the extract) holds, per operation, its status and an answer
body built from the response schema and examples. On top of that this module keeps ids
consistent within a run: each group starts with one record (its id derived from the
account, so the same seed gives the same id), a create adds a record with a fresh id, a
delete removes it, ``*.info`` and other calls that name an ``id`` answer 404 for an id the
group does not hold, and ``*.list`` lists the group's records, page by page.
"""

from __future__ import annotations

import copy
import functools
import json
import uuid
from importlib import resources
from typing import Any, Callable

from ..store import Context, State
from ..wire import ApiError, Reply
from .common import Created

__all__ = ["handler_for", "held", "spec_answer"]

Handler = Callable[[State, "dict[str, Any]", Context], Any]


@functools.cache
def _answers() -> dict[str, dict[str, Any]]:
    text = resources.files("teamleader.testing").joinpath("answers.json").read_text(encoding="utf-8")
    return json.loads(text)["answers"]


def spec_answer(endpoint: str) -> dict[str, Any] | None:
    """The spec's answer for ``endpoint``: ``{"status", "body"}`` (a copy), or ``None``."""
    answer = _answers().get(endpoint)
    return copy.deepcopy(answer) if answer is not None else None


def _has_info(group: str) -> bool:
    return f"{group}.info" in _answers()


#: Groups emulated statefully elsewhere: their other operations check ids against these records.
STATEFUL = {"contacts": "contacts", "companies": "companies", "deals": "deals", "users": "users"}


def _generic(group: str) -> bool:
    """Whether the group's records are kept here (not by a stateful emulation)."""
    from .records import KINDS  # the groups kept as records (that module imports this one)

    return group not in STATEFUL and group not in KINDS


def _records(state: State, group: str) -> dict[str, Any]:
    """The ids a group holds, in creation order; the first is derived from the account."""
    if group in STATEFUL:
        return getattr(state, STATEFUL[group])
    from .records import KINDS

    if group in KINDS:
        return KINDS[group].records(state)
    held = state.spec_records.get(group)
    if held is None:
        first = str(uuid.uuid5(uuid.UUID(state.account["id"]), group))
        held = state.spec_records[group] = {first: None}
    return held


def held(state: State, group: str) -> list[str]:
    """The ids a group answered from the spec holds (e.g. ``held(sandbox.state, "tickets")``)."""
    return list(_records(state, group))


def _with_id(record: Any, record_id: str) -> Any:
    if isinstance(record, dict) and "id" in record:
        record["id"] = record_id
    return record


def _list(state: State, group: str, answer: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    template = answer["data"][0] if answer.get("data") else None
    if not isinstance(template, dict) or "id" not in template or not _generic(group):
        return answer
    ids = list(_records(state, group))
    page = body.get("page") or {}
    size, number = int(page.get("size", 20)), int(page.get("number", 1))
    shown = ids[(number - 1) * size : number * size] if "page" in body else ids
    answer["data"] = [_with_id(copy.deepcopy(template), record_id) for record_id in shown]
    meta = answer.get("meta")
    if isinstance(meta, dict):
        if isinstance(meta.get("page"), dict):
            meta["page"].update(size=size, number=number)
        if "matches" in meta:
            meta["matches"] = len(ids)
    return answer


def handler_for(endpoint: str) -> Handler | None:
    """A handler answering ``endpoint`` from the spec, or ``None`` if the spec has no such operation."""
    if endpoint not in _answers():
        return None
    group, action = endpoint.rsplit(".", 1)

    def handle(state: State, body: dict[str, Any], ctx: Context) -> Any:
        answer = spec_answer(endpoint)
        assert answer is not None
        status, payload = answer["status"], answer["body"]
        data = payload.get("data") if isinstance(payload, dict) else None
        if status == 201 and isinstance(data, dict) and set(data) == {"type", "id"}:
            record_id = ctx.new_id()
            if (action in ("add", "create") or _has_info(group)) and _generic(group):
                _records(state, group)[record_id] = None
            return Created(data["type"], record_id)
        if action.startswith("list") and isinstance(data, list) and "id" not in body:
            return _list(state, group, payload, body)
        wanted = body.get("id")
        if isinstance(wanted, str) and _has_info(group):
            held = _records(state, group)
            if wanted not in held:
                raise ApiError(404, f"{group} {wanted} not found")
            if action == "delete" and _generic(group):
                del held[wanted]
            elif action == "info":
                _with_id(data if data is not None else payload, wanted)
        if payload is None and status != 204:
            return Reply(status)
        return payload

    handle.__name__ = handle.__qualname__ = f"from_spec[{endpoint}]"
    return handle
