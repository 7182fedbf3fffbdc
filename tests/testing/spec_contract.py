"""The spec as an independent oracle: the extract's schemas as JSON Schema for ``jsonschema``.

Nothing here uses the project's own rules (``tools/schema_rules.py``, ``teamleader.rules``):
the tests check those against this reading of Teamleader's schemas.

Reading choices, where the spec cannot be taken literally (each is Teamleader's schema
contradicting itself, not a leniency of ours):

- OpenAPI 3.0's ``nullable`` inside an ``allOf`` part makes the whole value nullable. Taken
  literally (JSON Schema's ``allOf``), ``null`` would have to pass every part, and no part
  but the ``nullable`` one allows it.
- ``oneOf`` branches that differ only in prose count once (``subscriptions.*``'s
  ``invoice_generation`` lists one shape twice, so nothing could match "exactly one").
- ``allOf`` parts are merged, property by property, before objects are closed: the spec
  often declares a field as a free-form ``object`` in one part and with its properties in
  another (``quotations.info``'s ``line_items[].unit_price``).
- ``oneOf`` branches that differ only in what they require mean "at least one of"
  (``products.add``: a ``name`` or a ``code``); read as "exactly one", a product with both
  could never be added.
- Objects are then closed at every value position with ``unevaluatedProperties: false``
  (JSON Schema 2020-12, so the chosen ``oneOf`` branch counts as declared): a body may not
  carry a field the spec does not describe.
- In answers (``nulls=True``) any field may be ``null``: the spec under-declares
  ``nullable`` (``contacts.info``'s ``website`` is a plain ``string``, yet a contact
  without a website has ``"website": null`` in Teamleader's answers). Types, enums and
  closed objects are still checked for every value that is not ``null``.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Iterator

import jsonschema

SKIP = {"nullable", "example", "default", "deprecated", "format"}


def _is_object(schema: dict[str, Any]) -> bool:
    parts = [schema, *schema.get("allOf", [])]
    if any(p.get("type") == "object" or "properties" in p for p in parts if isinstance(p, dict)):
        return True
    branches = schema.get("oneOf", [])
    return bool(branches) and all(isinstance(b, dict) and _is_object(b) for b in branches)


def _nullable(schema: dict[str, Any]) -> bool:
    return bool(schema.get("nullable")) or any(
        isinstance(p, dict) and p.get("nullable") for p in schema.get("allOf", [])
    )


def _distinct(branches: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for branch in branches:
        seen.setdefault(json.dumps(_without(branch, SKIP), sort_keys=True), branch)
    return list(seen.values())


def _merged_without_required(schema: dict[str, Any]) -> Any:
    return _without({k: v for k, v in _merged(schema).items() if k != "required"}, SKIP)


def _without(schema: Any, keys: set[str]) -> Any:
    if isinstance(schema, list):
        return [_without(item, keys) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        k: ({n: _without(s, keys) for n, s in v.items()} if k == "properties" else _without(v, keys))
        for k, v in schema.items()
        if k not in keys
    }


def strict(schema: Any, *, closed: bool = True, nulls: bool = False, value: bool = True) -> Any:
    """An extract schema as closed JSON Schema 2020-12 (see the module's docstring)."""
    if not isinstance(schema, dict):
        return schema
    nullable = _nullable(schema) or (nulls and value)
    schema = _merged(schema)
    out: dict[str, Any] = {}
    for key, sub in schema.items():
        if key in SKIP:
            continue
        if key == "properties":
            out[key] = {name: strict(s, closed=closed, nulls=nulls) for name, s in sub.items()}
        elif key == "items":
            out[key] = strict(sub, closed=closed, nulls=nulls)
        elif key in ("oneOf", "anyOf"):
            branches = [strict(p, closed=closed, nulls=nulls, value=False) for p in _distinct(sub)]
            required_only = len({json.dumps(_merged_without_required(p), sort_keys=True) for p in sub}) == 1
            out["anyOf" if required_only else key] = branches
        else:
            out[key] = sub
    if closed and value and _is_object(schema):
        out["unevaluatedProperties"] = False
    if nullable:
        out = {"anyOf": [{"type": "null"}, out]}
    return out


def errors(schema: dict[str, Any], instance: Any, *, closed: bool = True, nulls: bool = False) -> list[str]:
    """Every way ``instance`` breaks ``schema``, as ``path: message`` lines."""
    validator = jsonschema.Draft202012Validator(strict(schema, closed=closed, nulls=nulls))
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(instance)]


# -- invalid variants of a valid body ------------------------------------------------------------------


def _merged(schema: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", []):
        part = _merged(part)
        for key, value in part.items():
            if key == "properties":
                props = dict(out.get("properties", {}))
                for name, sub in value.items():
                    props[name] = _merged({"allOf": [props[name], sub]}) if name in props else sub
                out["properties"] = props
            elif key == "required":
                out["required"] = list(dict.fromkeys([*out.get("required", []), *value]))
            elif key == "enum" and "enum" in out:
                out["enum"] = [v for v in out["enum"] if v in value] or value
            else:
                out.setdefault(key, value)
    return out


def walk(
    schema: dict[str, Any], path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every sub-schema reachable through properties and arrays (never into a ``oneOf``)."""
    schema = _merged(schema)
    yield path, schema
    if "oneOf" in schema or "anyOf" in schema:
        return
    for name, sub in schema.get("properties", {}).items():
        yield from walk(sub, (*path, name))
    if "items" in schema:
        yield from walk(schema["items"], (*path, 0))


def put(
    body: dict[str, Any], path: tuple[Any, ...], value: Any, schema: dict[str, Any], minimal: Any
) -> dict[str, Any]:
    """A copy of ``body`` with ``value`` at ``path``; missing parents made with ``minimal(schema)``."""
    body = copy.deepcopy(body)
    node: Any = body
    walked = dict(walk(schema))
    for depth, step in enumerate(path[:-1]):
        child_path = path[: depth + 1]
        child = walked[child_path]
        if isinstance(step, int):
            if not node:
                node.append(minimal(child))
        elif not isinstance(node.get(step), (dict, list)) or (
            isinstance(node.get(step), list) and not node[step]
        ):
            node[step] = minimal(child)
            if isinstance(node[step], list) and not node[step]:
                node[step].append(minimal(walked[(*child_path, 0)]))
        node = node[step]
    if value is _DELETE:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return body


_DELETE = object()
WRONG = {
    "string": 12345,
    "number": "12345",
    "integer": "12345",
    "boolean": "yes",
    "array": "x",
    "object": "x",
}


def variants(schema: dict[str, Any], body: dict[str, Any], minimal: Any) -> dict[str, dict[str, Any]]:
    """Invalid variants of a valid ``body``: kind -> body (kinds the schema has room for)."""
    found = {"unknown field": {**copy.deepcopy(body), "unknown_field_xyz": 1}}
    nodes = list(walk(schema))
    for path, sub in nodes:
        if path and "enum" in sub and all(isinstance(v, str) for v in sub["enum"] if v is not None):
            found.setdefault("wrong enum", put(body, path, "not-a-value-of-the-enum", schema, minimal))
        if len(path) == 1 and sub.get("type") in WRONG and not sub.get("nullable"):
            found.setdefault("wrong type", put(body, path, WRONG[sub["type"]], schema, minimal))
        parent = nodes and dict(nodes).get(path[:-1])
        if (
            len(path) >= 2
            and parent
            and path[-1] in parent.get("required", [])
            and not isinstance(path[-1], int)
        ):
            found.setdefault("missing nested required field", put(body, path, _DELETE, schema, minimal))
    return found
