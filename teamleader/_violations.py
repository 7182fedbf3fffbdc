"""A rule the generated validators found broken, told in words a person can act on.

The validators in :mod:`teamleader.rules` stop at the first broken rule and report its
path (``data.filter``), its kind (``additionalProperties``, ``enum``, ``type``,
``required``, ``oneOf``) and a summary of the rule. This module turns that into
``filter.emial is not a filter of contacts.list; did you mean 'email'? Allowed: …``.
For a ``oneOf`` it finds which choice came closest and explains that choice's problem.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Problem", "explain", "first_error"]

MAX_LISTED = 25
_ARTICLES = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "an array",
    "object": "an object",
    "null": "null",
}


@dataclass
class Problem:
    """What is wrong: a message, the path it is about, what is allowed there, a likely fix."""

    message: str
    path: str
    allowed: list[Any] = field(default_factory=list)
    suggestion: Any = None


def _path(name: str | None) -> str:
    """``data.filter.email`` -> ``filter.email``; ``data`` -> ``""`` (the body)."""
    name = name or "data"
    return name[4:].lstrip(".") if name.startswith("data") else name


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _listing(values: list[Any]) -> str:
    shown = ["null" if v is None else str(v) for v in values[:MAX_LISTED]]
    return ", ".join(shown) + (", …" if len(values) > MAX_LISTED else "")


def _closest(value: Any, options: list[Any]) -> Any:
    words = [o for o in options if isinstance(o, str)]
    if not isinstance(value, str) or not words:
        return None
    lowered = {w.lower(): w for w in words}
    found = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    for kind, types in (("string", str), ("array", (list, tuple)), ("object", dict)):
        if isinstance(value, types):
            return kind
    return type(value).__name__


def _describe(value: Any) -> str:
    kind = _json_type(value)
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "…"
    if kind in ("null", "array", "object"):
        return _ARTICLES[kind]
    return f"{_ARTICLES.get(kind, 'a ' + kind)} ({shown})"


def _types(definition: dict[str, Any]) -> list[str]:
    kind = definition.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def explain(endpoint: str, violation: Any) -> Problem:
    """The :class:`Problem` behind a ``SchemaViolation`` raised for ``endpoint``."""
    return _problem(
        endpoint, _path(violation.name), violation.rule, violation.definition or {}, violation.value
    )


def _problem(endpoint: str, path: str, rule: str, definition: dict[str, Any], value: Any) -> Problem:
    if rule == "additionalProperties":
        declared = list(definition.get("properties", []))
        declared = [name if isinstance(name, str) else str(name) for name in declared]
        unknown = [key for key in value if key not in declared]
        return _unknown(endpoint, path, unknown, declared)
    if rule == "required":
        missing = [_join(path, key) for key in definition.get("required", []) if key not in value]
        verb = "is" if len(missing) == 1 else "are"
        return Problem(f"{', '.join(missing)} {verb} required", missing[0], missing)
    if rule == "enum":
        allowed = list(definition.get("enum", []))
        suggestion = _closest(value, allowed)
        hint = f"; did you mean {suggestion!r}?" if suggestion is not None else "."
        text = f"{path or 'the body'} is {value!r}, which is not allowed{hint} Allowed: {_listing(allowed)}"
        return Problem(text, path, allowed, suggestion)
    if rule in ("oneOf", "anyOf"):
        return _choice(endpoint, path, rule, definition, value)
    expected = " or ".join(_ARTICLES.get(kind, kind) for kind in _types(definition)) or "something else"
    return Problem(
        f"{path or 'the body'} must be {expected}, not {_describe(value)}", path, _types(definition)
    )


def _unknown(endpoint: str, path: str, unknown: list[str], declared: list[str]) -> Problem:
    key = unknown[0]
    is_filter = path == "filter" or path.endswith(".filter")
    noun = "filter" if is_filter else "field"
    owner = endpoint if path in ("", "filter") else path
    suggestion = _closest(key, declared)
    text = f"{_join(path, key)} is not a {noun} of {owner}"
    if not declared:
        text = f"{owner} takes no {noun}s; got {_join(path, key)}"
    elif suggestion is not None:
        text += f"; did you mean {suggestion!r}? Allowed: {_listing(declared)}"
    else:
        text += f". Allowed: {_listing(declared)}"
    if len(unknown) > 1:
        text += f" (also unknown: {', '.join(unknown[1:])})"
    return Problem(text, _join(path, key), declared, suggestion)


# -- oneOf: which choice came closest -------------------------------------------------------------------


def _choice(endpoint: str, path: str, rule: str, definition: dict[str, Any], value: Any) -> Problem:
    branches = [b for b in definition.get(rule, []) if "null" not in _types(b) or len(b) > 1]
    results = [first_error(branch, value, path) for branch in branches]
    matching = [b for b, error in zip(branches, results, strict=True) if error is None]
    if len(matching) > 1:
        fits = "; ".join(_shape(b) for b in matching)
        text = f"{path or 'the body'} fits {len(matching)} of the allowed shapes, and must fit exactly one: {fits}"
        return Problem(text, path, [_shape(b) for b in branches])
    objects = [b for b in branches if "object" in _types(b) and "properties" in b]
    if isinstance(value, dict) and objects:
        declared = list(dict.fromkeys(key for b in objects for key in b["properties"]))
        unknown = [key for key in value if key not in declared]
        if unknown:
            return _unknown(endpoint, path, unknown, declared)
    fitting = [
        (b, e)
        for b, e in zip(branches, results, strict=True)
        if e is not None and _json_type(value) in _loose(b)
    ]
    if not fitting:
        kinds = list(dict.fromkeys(kind for b in branches for kind in _loose(b)))
        expected = ", ".join(_ARTICLES.get(k, k) for k in kinds)
        return Problem(
            f"{path or 'the body'} must be one of: {expected}; not {_describe(value)}", path, kinds
        )
    errors = [error for _, error in fitting]
    if all(e[0] == path and e[1] in ("required", "additionalProperties") for e in errors):
        # The fields given belong to no single choice (too few, or from several).
        shapes = [_shape(branch) for branch, _ in fitting]
        text = f"{path or 'the body'} must fit exactly one of: {'; '.join(shapes)}. It fits none"
        return Problem(text, path, shapes)
    closest = max(errors, key=lambda error: error[0].count(".") + error[0].count("["))
    return _problem(endpoint, *closest)


def _loose(schema: dict[str, Any]) -> list[str]:
    """The JSON types a schema takes (a number also where it says integer)."""
    kinds = _types(schema) or (["object"] if "properties" in schema else [])
    return ["number" if kind == "integer" else kind for kind in kinds]


def _shape(schema: dict[str, Any]) -> str:
    if "object" in _types(schema) and (schema.get("required") or schema.get("properties")):
        return "an object with " + ", ".join(schema.get("required") or schema["properties"])
    return " or ".join(_ARTICLES.get(kind, kind) for kind in _types(schema)) or "any value"


def first_error(
    schema: dict[str, Any], value: Any, path: str = ""
) -> tuple[str, str, dict[str, Any], Any] | None:
    """The first rule of a closed schema that ``value`` breaks, as ``(path, rule, rule summary, value)``.

    A small interpreter of the JSON Schema the rules are made of (type, enum, required,
    properties, additionalProperties, items, allOf, oneOf, anyOf): the generated validators
    decide, this explains a ``oneOf`` they refused, and checks the sandbox's answers at build time.
    """
    for part in schema.get("allOf", []):
        error = first_error(part, value, path)
        if error:
            return error
    kinds = _types(schema)
    if (
        kinds
        and _json_type(value) not in _loose(schema)
        and not ("integer" in kinds and isinstance(value, int) and not isinstance(value, bool))
    ):
        return path, "type", schema, value
    if "enum" in schema and value not in schema["enum"]:
        return path, "enum", schema, value
    for rule in ("oneOf", "anyOf"):
        if rule in schema:
            fits = [b for b in schema[rule] if first_error(b, value, path) is None]
            if len(fits) != 1 and not (rule == "anyOf" and fits):
                return path, rule, schema, value
    if isinstance(value, dict) and "properties" in schema:
        summary = {**schema, "properties": list(schema["properties"])}
        if any(key not in value for key in schema.get("required", [])):
            return path, "required", summary, value
        for key, item in value.items():
            if key in schema["properties"]:
                error = first_error(schema["properties"][key], item, _join(path, key))
                if error:
                    return error
        if schema.get("additionalProperties") is False and any(k not in schema["properties"] for k in value):
            return path, "additionalProperties", summary, value
    if isinstance(value, (list, tuple)) and "items" in schema:
        for index, item in enumerate(value):
            error = first_error(schema["items"], item, f"{path}[{index}]")
            if error:
                return error
    return None
