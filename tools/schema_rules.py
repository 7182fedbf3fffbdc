"""The extract's OpenAPI 3.0 schemas as closed JSON Schema: the rules requests and answers obey.

Teamleader's schemas rarely say ``additionalProperties: false``, so read literally they
accept any unknown key, and a typo such as ``filter.emial`` would be valid. The rules
here close every object that declares its properties. To do that right they first fold
``allOf`` into one schema (closing the parts separately would refuse the keys of the other
parts), and they fold an object's own properties into each of its ``oneOf`` branches
(each branch is then a complete, closed shape). OpenAPI's ``nullable`` becomes a ``null``
type (and a ``None`` enum value).

Where the spec makes closing impossible, the object stays open: a ``type: object`` without
``properties`` (a free-form map). :func:`open_objects` lists those places.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Iterator

__all__ = ["closed", "fold", "open_objects"]

#: Keywords dropped from rules (kept in the extract): they describe, they do not constrain.
NOT_RULES = {"example", "default", "deprecated", "format"}


def fold(schema: Any) -> Any:
    """``allOf`` merged into one schema, at every depth (properties merged key by key)."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "allOf":
            continue
        if key == "properties":
            value = {name: fold(sub) for name, sub in value.items()}
        elif key in ("oneOf", "anyOf"):
            value = [fold(sub) for sub in value]
        elif key in ("items", "additionalProperties", "not"):
            value = fold(value)
        out[key] = value
    for part in schema.get("allOf", []):
        out = merge(out, fold(part))
    return out


def merge(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two folded schemas that must both hold, as one: the narrower constraint wins."""
    out = dict(first)
    for key, value in second.items():
        if key not in out:
            out[key] = value
        elif key == "properties":
            props = dict(out[key])
            for name, sub in value.items():
                props[name] = merge(props[name], sub) if name in props else sub
            out[key] = props
        elif key == "required":
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key == "enum":
            narrowed = [item for item in out[key] if item in value]
            out[key] = narrowed if narrowed else value
        elif key == "nullable":
            out[key] = out[key] or value
        elif key == "items":
            out[key] = merge(out[key], value)
        elif key == "oneOf":
            out[key] = [merge(a, b) for a in out[key] for b in value]
    return out


def _same(schema: Any) -> str:
    """A key for "the same rule": ignores examples and defaults."""
    return json.dumps(schema, sort_keys=True)


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema


def closed(schema: Any) -> Any:
    """A folded schema as closed JSON Schema (draft 7): unknown keys refused, ``nullable`` as ``null``."""
    if not isinstance(schema, dict):
        return schema
    schema = fold(schema)
    branches = schema.get("oneOf")
    if branches and _is_object(schema) and any(_is_object(b) for b in branches):
        # The object's own fields belong to every branch: fold them in, then close each branch.
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "nullable")}
        outer = {"oneOf": [closed(merge(copy.deepcopy(base), b)) for b in branches]}
        return _nullable(_distinct(outer), schema.get("nullable"))
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in NOT_RULES or key == "nullable":
            continue
        if key == "properties":
            value = {name: closed(sub) for name, sub in value.items()}
        elif key in ("oneOf", "anyOf"):
            value = [closed(sub) for sub in value]
        elif key in ("items", "not"):
            value = closed(value)
        out[key] = value
    if "properties" in out and "additionalProperties" not in out:
        # A required key the object does not declare (the spec contradicts itself): any value.
        missing = [name for name in out.get("required", []) if name not in out["properties"]]
        out["properties"] = {**out["properties"], **dict.fromkeys(missing, {})}
        out["additionalProperties"] = False
    if "oneOf" in out:
        out = _distinct(out)
    return _nullable(out, schema.get("nullable"))


def _distinct(schema: dict[str, Any]) -> dict[str, Any]:
    """``oneOf`` without repeated branches; ``anyOf`` where branches differ only in ``required``.

    Some ``oneOf`` branches differ only in their prose (``subscriptions.create``'s
    ``invoice_generation``): read literally no value could match exactly one of them.
    The evident intent is "one of these shapes", so repeats count once.
    """
    seen: dict[str, Any] = {}
    for branch in schema["oneOf"]:
        seen.setdefault(_same(branch), branch)
    branches = list(seen.values())
    rest = {k: v for k, v in schema.items() if k != "oneOf"}
    if len(branches) == 1:
        return {**rest, **branches[0]} if not rest else {"allOf": [rest, branches[0]]}
    if len({_same({k: v for k, v in b.items() if k != "required"}) for b in branches}) == 1:
        # Branches that differ only in what they require (``products.add``: a name, or a code)
        # mean "at least one of": read as "exactly one", a name with a code could never pass.
        return {**rest, "anyOf": branches}
    return {**schema, "oneOf": branches}


def _nullable(schema: dict[str, Any], nullable: Any) -> dict[str, Any]:
    if not nullable:
        return schema
    if "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], None]}
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if kind is None:
        return {"anyOf": [{"type": "null"}, schema]}
    return schema


def open_objects(schema: Any, path: str = "") -> Iterator[str]:
    """Where a folded schema cannot be closed fully.

    An object without ``properties`` (a free-form map) stays open; a key that is required
    but not declared is allowed with any value.
    """
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "object" and "properties" not in schema and "oneOf" not in schema:
        yield f"{path or '<body>'}: an object without declared fields, left open"
    if "properties" in schema:
        for name in schema.get("required", []):
            if name not in schema["properties"]:
                yield f"{path}.{name}: required but not declared, any value allowed".lstrip(".")
    for name, sub in schema.get("properties", {}).items():
        yield from open_objects(sub, f"{path}.{name}" if path else name)
    if "items" in schema:
        yield from open_objects(schema["items"], f"{path}[]")
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key, []):
            yield from open_objects(sub, path)
