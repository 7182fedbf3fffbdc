"""Checking request bodies the way Teamleader does: required fields, types, enums."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from .wire import ApiError

__all__ = ["check_fields", "check_entries", "check_enum", "check_id_list", "get_object", "require_id"]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _is(value: Any, kind: str) -> bool:
    if kind in ("number", "integer") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[kind])


def check_fields(body: Mapping[str, Any], schema: Mapping[str, str], where: str = "") -> None:
    """Check ``body`` against ``{"field": "string"}``; ``!`` marks required, ``?`` nullable.

    Unknown fields are ignored. Raises ``ApiError(400)`` naming the first bad field.
    """
    for name, spec in schema.items():
        kind, required, nullable = spec.rstrip("!?"), "!" in spec, "?" in spec
        label = f"{where}{name}"
        if name not in body:
            if required:
                raise ApiError(400, f"{label} is required")
            continue
        value = body[name]
        if value is None:
            if nullable:
                continue
            raise ApiError(400, f"{label} must not be null")
        if not _is(value, kind):
            raise ApiError(400, f"{label} must be of type {kind}")
        if required and not nullable and kind == "string" and not value.strip():
            raise ApiError(400, f"{label} must not be empty")


def check_enum(value: Any, allowed: Iterable[str], label: str) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ApiError(400, f"{label} must be one of: {', '.join(allowed)}")


def check_entries(
    body: Mapping[str, Any], name: str, schema: Mapping[str, str], types: Iterable[str] | None = None
) -> None:
    """Check a list of objects such as ``emails`` or ``telephones`` (and their ``type``)."""
    entries = body.get(name)
    if entries is None:
        return
    for index, entry in enumerate(entries):
        where = f"{name}[{index}]."
        if not isinstance(entry, dict):
            raise ApiError(400, f"{name}[{index}] must be of type object")
        check_fields(entry, schema, where)
        if types is not None:
            check_enum(entry.get("type"), types, f"{where}type")


def check_id_list(value: Any, label: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ApiError(400, f"{label} must be an array of strings")
    return value


def get_object(body: Mapping[str, Any], name: str) -> dict[str, Any]:
    """``body[name]`` as a dict (``{}`` when absent); 400 when it is not an object."""
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, f"{name} must be of type object")
    return value


def require_id(body: Mapping[str, Any], records: Mapping[str, Any], kind: str, field: str = "id") -> Any:
    """The record whose id is ``body[field]``: 400 when missing or mistyped, 404 when unknown."""
    check_fields(body, {field: "string!"})
    record = records.get(body[field])
    if record is None:
        raise ApiError(404, f"{kind} {body[field]} not found")
    return record
