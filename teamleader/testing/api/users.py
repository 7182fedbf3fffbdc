"""``users.me``, ``users.list`` and ``users.info``."""

from __future__ import annotations

from typing import Any, Callable

from ..listing import includes, list_answer, sort_records, with_ids
from ..store import Context, State
from ..validation import check_enum, check_fields, check_id_list, get_object, require_id
from .common import pick, term_matches

__all__ = ["ENDPOINTS"]

ME_FIELDS = (
    "id",
    "account",
    "first_name",
    "last_name",
    "email",
    "email_verification_status",
    "telephones",
    "language",
    "function",
    "time_zone",
    "preferences",
)
LIST_FIELDS = (
    "id",
    "account",
    "first_name",
    "last_name",
    "email",
    "telephones",
    "language",
    "function",
    "status",
    "teams",
)
INFO_FIELDS = (
    "id",
    "account",
    "first_name",
    "last_name",
    "email",
    "telephones",
    "language",
    "function",
    "time_zone",
    "status",
    "teams",
)

SORTABLE = ("first_name", "last_name", "email", "function")


def _text_key(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda user: str(user[name] or "").lower()


def users_me(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The user who authorised the integration."""
    return {"data": pick(state.users[ctx.user_id], ME_FIELDS)}


def users_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"filter": "object", "page": "object", "sort": "array"})
    filters = get_object(body, "filter")
    check_fields(filters, {"term": "string", "status": "array"}, "filter.")
    users = list(state.users.values())
    if "ids" in filters:
        users = with_ids(users, filters["ids"])
    if "term" in filters:
        users = [
            u
            for u in users
            if term_matches(filters["term"], [u["first_name"], u["last_name"], u["email"], u["function"]])
        ]
    if "status" in filters:
        for status in check_id_list(filters["status"], "filter.status"):
            check_enum(status, ("active", "deactivated"), "filter.status")
        users = [u for u in users if u["status"] in filters["status"]]
    users = sort_records(users, body, {name: _text_key(name) for name in SORTABLE})
    return list_answer(users, body, ctx, lambda u: pick(u, LIST_FIELDS))


def users_info(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"id": "string!", "includes": "string"})
    user = require_id(body, state.users, "User")
    shaped = pick(user, INFO_FIELDS)
    if "external_rate" in includes(body):
        shaped["external_rate"] = user["external_rate"]
    return {"data": shaped}


ENDPOINTS = {
    "users.me": users_me,
    "users.list": users_list,
    "users.info": users_info,
}
