"""Small, forgiving parsers for declared fields and properties of the models."""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any, Mapping

from .base import Money

__all__ = ["money_at", "strict_bool", "strict_list"]


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
