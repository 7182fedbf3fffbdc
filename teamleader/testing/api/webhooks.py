"""``webhooks.register``, ``webhooks.list`` and ``webhooks.unregister``."""

from __future__ import annotations

from typing import Any

from ...webhook_types import WEBHOOK_TYPES
from ..store import Context, State
from ..validation import check_enum, check_fields, check_id_list
from ..wire import ApiError

__all__ = ["ENDPOINTS"]


def _url_and_types(body: dict[str, Any]) -> tuple[str, list[str]]:
    check_fields(body, {"url": "string!", "types": "array!"})
    if not body["url"].startswith(("http://", "https://")):
        raise ApiError(400, "url must be an absolute http(s) URL")
    types = check_id_list(body["types"], "types")
    if not types:
        raise ApiError(400, "types must not be empty")
    for event_type in types:
        check_enum(event_type, WEBHOOK_TYPES, "types")
    return body["url"], types


def webhooks_register(state: State, body: dict[str, Any], ctx: Context) -> None:
    url, types = _url_and_types(body)
    registered = state.webhooks.setdefault(url, [])
    registered.extend(t for t in types if t not in registered)


def webhooks_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Every registered webhook, ordered by URL (no pages: the list is short)."""
    return {"data": [{"url": url, "types": list(types)} for url, types in sorted(state.webhooks.items())]}


def webhooks_unregister(state: State, body: dict[str, Any], ctx: Context) -> None:
    url, types = _url_and_types(body)
    remaining = [t for t in state.webhooks.get(url, []) if t not in types]
    if remaining:
        state.webhooks[url] = remaining
    else:
        state.webhooks.pop(url, None)


ENDPOINTS = {
    "webhooks.register": webhooks_register,
    "webhooks.list": webhooks_list,
    "webhooks.unregister": webhooks_unregister,
}
