"""Small, forgiving parsers for declared fields and properties of the models."""

from __future__ import annotations

import datetime as dt
from decimal import InvalidOperation
from typing import Any, Mapping

from .base import Money

__all__ = ["money_at", "parse_date", "parse_datetime", "primary_value", "strict_bool", "strict_list"]


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


def primary_value(entries: Any, key: str) -> str | None:
    """``entry[key]`` of the entry whose ``type`` is ``primary`` (emails, addresses), else ``None``."""
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if isinstance(entry, dict) and entry.get("type") == "primary" and entry.get(key):
            return str(entry[key])
    return None
