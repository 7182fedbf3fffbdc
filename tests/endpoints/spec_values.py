"""Reading Teamleader's OpenAPI description in tests: schemas, example and minimal values.

Everything here reads the committed extract (``tools/operations.json``): the spec's own
schemas and examples with only the prose taken out, never the generated code or the
closed rules derived from it, so the tests check those against Teamleader's description
and work on a fresh clone. ``load_spec()`` is the original file at ``../shared``, for the
few tests that check the extract against it.
"""

from __future__ import annotations

import copy
import functools
import json
import keyword
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT.parent / "shared/teamleader-api/openapi-1.112.0.yaml"
SPEC_MISSING = f"Teamleader's OpenAPI description is not at {SPEC_PATH} (the ../shared checkout)"
EXTRACT_PATH = ROOT / "tools" / "operations.json"


@functools.cache
def extract() -> dict[str, dict[str, Any]]:
    """The committed extract's operations by path (``/contacts.list``)."""
    return {op["path"]: op for op in json.loads(EXTRACT_PATH.read_text())["operations"]}


@functools.cache
def load_spec() -> dict[str, Any] | None:
    if not SPEC_PATH.exists():
        return None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_PATH.open() as f:
        return yaml.load(f, Loader=loader)


def operations() -> list[str]:
    return sorted(extract())


# -- the naming rule, written again here so that the tests check the generator ---------------------


def python_name(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()
    return name + "_" if keyword.iskeyword(name) else name


def resolve(client: Any, path: str) -> Any:
    """``/projects-v2/projectGroups.create`` -> ``client.projects_v2.project_groups.create``."""
    group, action = path.lstrip("/").rsplit(".", 1)
    target = client
    for part in [*group.split("/"), action]:
        target = getattr(target, python_name(part))
    return target


def argument_name(key: str) -> str:
    return key + "_" if keyword.iskeyword(key) else key


# -- schemas -----------------------------------------------------------------------------------------


def request_media(path: str) -> dict[str, Any] | None:
    return extract()[path]["request"]


def request_schema(path: str) -> dict[str, Any] | None:
    media = request_media(path)
    return media.get("schema") if media else None


def response_schema(path: str) -> dict[str, Any] | None:
    return extract()[path]["response"].get("schema")


def response_status(path: str) -> int:
    return extract()[path]["response"]["status"]


def response_data_schema(path: str) -> dict[str, Any]:
    """The schema of ``data`` in the operation's success answer (items of it, for lists)."""
    schema = response_schema(path)
    data = merged(merged(schema).get("properties", {}).get("data", {}))
    return merged(data["items"]) if data.get("type") == "array" else data


def merged(schema: dict[str, Any]) -> dict[str, Any]:
    """``allOf`` folded into one schema: properties and ``required`` unioned, the first ``type`` kept."""
    out = {key: value for key, value in schema.items() if key != "allOf"}
    out["properties"] = dict(schema.get("properties", {}))
    out["required"] = list(schema.get("required", []))
    for part in schema.get("allOf", []):
        part = merged(part)
        for key, value in part.items():
            if key == "properties":
                for name, sub in value.items():
                    out["properties"][name] = (
                        {"allOf": [out["properties"][name], sub]} if name in out["properties"] else sub
                    )
            elif key == "required":
                out["required"] += [name for name in value if name not in out["required"]]
            else:
                out.setdefault(key, value)
    if not out["properties"]:
        del out["properties"]
    if not out["required"]:
        del out["required"]
    return out


def to_json_schema(schema: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` as JSON Schema, so that ``jsonschema`` accepts ``null`` where it may."""
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key == "oneOf":
            out[key] = distinct(to_json_schema(value))
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf"):
            out[key] = to_json_schema(value)
        elif key not in ("nullable", "example"):
            out[key] = value
    if schema.get("nullable"):
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def distinct(branches: list[Any]) -> list[Any]:
    """``oneOf`` branches without repeats once prose is ignored.

    The spec has ``oneOf`` branches that differ only in their title and example
    (``subscriptions.create``'s ``invoice_generation``): read literally, no value could
    ever match exactly one of them. The evident intent is "one of these shapes".
    """
    seen: dict[str, Any] = {}
    for branch in branches:
        seen.setdefault(json.dumps(without_prose(branch), sort_keys=True), branch)
    return list(seen.values())


def without_prose(schema: Any) -> Any:
    if isinstance(schema, list):
        return [without_prose(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: {name: without_prose(sub) for name, sub in value.items()}
        if key == "properties"
        else without_prose(value)
        for key, value in schema.items()
        if key not in ("title", "description", "example")
    }


def validation_errors(schema: dict[str, Any], value: Any) -> list[str]:
    validator = jsonschema.Draft4Validator(to_json_schema(schema))
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message}"
        for e in validator.iter_errors(value)
    ]


# -- values ------------------------------------------------------------------------------------------


STRINGS = {"date": "2024-02-01", "date-time": "2024-02-01T08:00:00+00:00"}


def minimal_value(schema: dict[str, Any], *, examples: bool = True) -> Any:
    """The smallest value ``schema`` accepts: required fields only, examples (if valid) at the leaves."""
    schema = merged(schema)
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        for branch in branches:
            candidate = minimal_value({"allOf": [base, branch]}, examples=examples)
            if not validation_errors(schema, candidate):
                return candidate
    if "enum" in schema:
        return next(value for value in schema["enum"] if value is not None)
    if examples and "example" in schema and not validation_errors(schema, schema["example"]):
        return copy.deepcopy(schema["example"])
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            key: minimal_value(properties.get(key, {}), examples=examples)
            for key in schema.get("required", [])
        }
    if kind == "array":
        return [minimal_value(schema.get("items", {}), examples=examples)] if schema.get("minItems") else []
    return {"integer": 1, "number": 1, "boolean": True}.get(kind, STRINGS.get(schema.get("format"), "x"))


def example_value(schema: dict[str, Any]) -> Any:
    """A full record: every property, each from its example where the spec gives one."""
    schema = merged(schema)
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "oneOf" in schema or "anyOf" in schema:
        return example_value((schema.get("oneOf") or schema.get("anyOf"))[0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "object":
        return {key: example_value(sub) for key, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_value(schema.get("items", {}))]
    return {"integer": 1, "number": 1.5, "boolean": True}.get(kind, STRINGS.get(schema.get("format"), "x"))


def request_body(path: str) -> dict[str, Any]:
    """A valid body for ``path``: the spec's example when it is valid, else the minimal body."""
    schema = request_schema(path)
    if schema is None:
        return {}
    media = request_media(path) or {}
    fields = top_level_fields(schema)
    example = media.get("example")
    if isinstance(example, dict):
        candidate = {key: value for key, value in example.items() if key in fields}
        if not validation_errors(schema, candidate):
            return candidate
    for examples in (True, False):
        candidate = minimal_value(schema, examples=examples)
        if not validation_errors(schema, candidate):
            return candidate
    raise AssertionError(f"{path}: no valid body could be built from the spec")


def top_level_fields(schema: dict[str, Any]) -> set[str]:
    fields = set(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            fields |= top_level_fields(part)
    return fields


def required_fields(schema: dict[str, Any] | None) -> list[str]:
    """Fields every valid body has (``required`` of the schema and its ``allOf`` parts, not of ``oneOf``)."""
    return list(merged(schema).get("required", [])) if schema else []
