"""Small, forgiving parsers for declared fields and properties of the models."""

from __future__ import annotations

import datetime as dt
from decimal import InvalidOperation
from typing import Any, Mapping

from .base import Money

__all__ = [
    "money_at",
    "parse_date",
    "parse_datetime",
    "primary_phone",
    "primary_value",
    "strict_bool",
    "strict_list",
]


def strict_bool(value: Any) -> bool:
    """A JSON boolean; anything else (``"false"``, ``0``) is not trusted and gives the default."""
    if isinstance(value, bool):
        return value
    raise TypeError(f"not a boolean: {value!r}")


def strict_list(value: Any) -> list[Any]:
    """A JSON array, copied; a string or an object is not a list of anything."""
    if isinstance(value, list):
        return list(value)
    raise TypeError(f"not a list: {value!r}")


def money_at(raw: Mapping[str, Any], *path: str) -> Money | None:
    """The ``{"amount", "currency"}`` object at ``raw[path[0]][path[1]]…``, or ``None``."""
    value: Any = raw
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(value, Mapping):
        return None
    try:
        return Money.parse(value)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return None


def parse_datetime(value: Any) -> dt.datetime:
    """Teamleader timestamps: ISO 8601 with an offset (``2016-02-04T16:44:33+00:00``)."""
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def parse_date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _values(entries: Any, key: str) -> list[tuple[Any, str]]:
    """``(type, entry[key])`` of every well-formed entry that has a value, in order."""
    if not isinstance(entries, list):
        return []
    return [(e.get("type"), str(e[key])) for e in entries if isinstance(e, dict) and e.get(key)]


def primary_value(entries: Any, key: str) -> str | None:
    """``entry[key]`` of the entry typed ``primary`` (emails); else of the first entry; else ``None``.

    Teamleader does not insist that one email is typed ``primary``: a record whose only
    address is typed ``invoicing`` still has an address to write to.
    """
    values = _values(entries, key)
    return next((value for kind, value in values if kind == "primary"), values[0][1] if values else None)


def primary_phone(entries: Any) -> str | None:
    """The first ``phone`` number, else the first ``mobile`` one, else any number but a fax."""
    values = [(kind, number) for kind, number in _values(entries, "number") if kind != "fax"]
    for wanted in ("phone", "mobile"):
        found = next((number for kind, number in values if kind == wanted), None)
        if found:
            return found
    return values[0][1] if values else None
