"""What the sandbox answers from the spec: ``teamleader/testing/answers.json``.

For every operation, one answer body built from its response schema: every declared field,
each leaf from the spec's example where that example fits the schema, else from its enum,
else a plain value of its type. Where the schema offers a choice (``oneOf``), the first
branch whose value matches exactly one branch is taken. Each answer is checked against the
closed schema (:mod:`schema_rules`) before it is written, so the sandbox never has to.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from schema_rules import closed, fold, merge

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # teamleader, for its schema interpreter

__all__ = ["render_answers"]

PLAIN = {"integer": 1, "number": 1.5, "boolean": True, "array": [], "object": {}}
STRINGS = {"date": "2024-02-01", "date-time": "2024-02-01T08:00:00+00:00"}
TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


class _Checker:
    """Checks values against closed schemas, with the interpreter the client explains refusals with."""

    def errors(self, schema: dict[str, Any], value: Any) -> str | None:
        from teamleader._violations import first_error

        error = first_error(closed(schema), value)
        return f"{error[0] or 'the answer'}: {error[1]}" if error else None


def _fits(schema: dict[str, Any], value: Any) -> bool:
    """Whether a leaf example has the schema's type (and is one of its enum values)."""
    kind = schema.get("type")
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False
    if kind in TYPES and not isinstance(value, TYPES[kind]):
        return False
    return "enum" not in schema or value in schema["enum"]


def build(schema: dict[str, Any], checker: _Checker) -> Any:
    """A full value of a folded schema (see the module's docstring)."""
    branches = schema.get("oneOf")
    if branches:
        base = {k: v for k, v in schema.items() if k != "oneOf"}
        for branch in branches:
            candidate = build(merge(copy.deepcopy(base), branch), checker)
            if checker.errors(schema, candidate) is None:
                return candidate
        raise SystemExit(f"no branch of {json.dumps(schema)[:300]} gives a value matching exactly one")
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "object" and "properties" in schema:
        return {name: build(sub, checker) for name, sub in schema["properties"].items()}
    if kind == "array":
        return [build(schema.get("items") or {}, checker)] if "items" in schema else []
    example = schema.get("example")
    if example is not None and _fits(schema, example) and kind not in ("object", "array"):
        return copy.deepcopy(example)
    enum = [value for value in schema.get("enum", []) if value is not None]
    if enum:
        return enum[0]
    if kind == "string" or kind is None:
        return STRINGS.get(schema.get("format", ""), "string")
    return copy.deepcopy(PLAIN[kind])


def render_answers(operations: list[dict[str, Any]], version: str) -> str:
    """The answers as JSON text: ``{"spec_version", "answers": {endpoint: {"status", "body"}}}``."""
    checker = _Checker()
    answers = {}
    for op in operations:
        response = op["response"]
        body = None
        if "schema" in response:
            schema = fold(response["schema"])
            body = build(schema, checker)
            problem = checker.errors(schema, body)
            if problem:
                raise SystemExit(f"{op['path']}: the built answer breaks its own schema: {problem}")
        answers[op["path"].lstrip("/")] = {"status": response["status"], "body": body}
    return json.dumps({"spec_version": version, "answers": answers}, indent=1, ensure_ascii=False) + "\n"
