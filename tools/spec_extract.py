"""Teamleader's OpenAPI description -> the prose-free extract committed as ``tools/operations.json``.

The extract keeps what a program needs (operations, request and response schemas, enums,
defaults, formats, examples) and drops what is Teamleader's writing (descriptions, summaries,
titles, tags, vendor extensions). Everything else in the repository is generated from it, so
only refreshing it from a newer spec needs the official file:

    python tools/generate_endpoints.py path/to/openapi-X.Y.Z.yaml
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["build_extract", "dump_extract", "load_spec"]

#: Schema keywords that are prose: dropped everywhere except as property names.
PROSE = {"description", "title", "externalDocs", "summary"}


def load_spec(path: Path) -> dict[str, Any]:
    """Read the OpenAPI YAML (PyYAML is needed only here, to refresh the extract)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open() as f:
        return yaml.load(f, Loader=loader)  # noqa: S506 (a safe loader either way)


def strip_schema(schema: Any) -> Any:
    """A schema without prose; ``allOf`` parts that said nothing else are dropped."""
    if isinstance(schema, list):
        return [strip_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in PROSE or key.startswith("x-"):
            continue
        if key == "properties":
            value = {name: strip_schema(sub) for name, sub in value.items()}
        elif key in ("allOf", "oneOf", "anyOf"):
            value = [part for part in strip_schema(value) if part or key != "allOf"]
            if not value:
                continue
        elif key in ("items", "additionalProperties", "not"):
            value = strip_schema(value)
        out[key] = value
    if list(out) == ["allOf"] and len(out["allOf"]) == 1:
        return out["allOf"][0]
    return out


def _json_media(content: dict[str, Any] | None) -> dict[str, Any] | None:
    media = [m for kind, m in sorted((content or {}).items()) if kind.startswith("application/json")]
    return media[0] if media else None


def _request(operation: dict[str, Any]) -> dict[str, Any] | None:
    body = operation.get("requestBody") or {}
    media = _json_media(body.get("content"))
    if media is None or "schema" not in media:
        return None
    out = {"required": bool(body.get("required")), "schema": strip_schema(media["schema"])}
    if "example" in media:
        out["example"] = media["example"]
    return out


def _response(operation: dict[str, Any]) -> dict[str, Any]:
    (status, answer), *others = sorted(operation["responses"].items())
    if others:
        raise SystemExit(f"{operation.get('operationId')}: more than one answer; the extract holds one")
    out: dict[str, Any] = {"status": int(status)}
    media = _json_media(answer.get("content"))
    if media is not None and "schema" in media:
        out["schema"] = strip_schema(media["schema"])
        if "example" in media:
            out["example"] = media["example"]
    return out


def build_extract(spec: dict[str, Any]) -> dict[str, Any]:
    """Every operation: its path, whether it is deprecated, its request and its answer."""
    operations = []
    for path in sorted(spec["paths"]):
        verbs = set(spec["paths"][path]) - {"parameters", "summary", "description"}
        if verbs != {"post"}:
            raise SystemExit(f"{path}: {sorted(verbs)}; the API is RPC over POST")
        operation = spec["paths"][path]["post"]
        operations.append(
            {
                "path": path,
                "deprecated": bool(operation.get("deprecated")),
                "request": _request(operation),
                "response": _response(operation),
            }
        )
    return {"spec_version": spec["info"]["version"], "operations": operations}


def dump_extract(extract: dict[str, Any]) -> str:
    """The extract as JSON: nested where that helps a diff, one line where it fits or holds scalars."""

    def dump(value: Any, depth: int) -> str:
        flat = json.dumps(value, ensure_ascii=False)
        scalars = isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value)
        if not isinstance(value, (dict, list)) or scalars or len(flat) + depth <= 100:
            return flat
        pad = " " * (depth + 1)
        if isinstance(value, dict):
            items = [f"{pad}{json.dumps(k)}: {dump(v, depth + 1)}" for k, v in value.items()]
        else:
            items = [pad + dump(v, depth + 1) for v in value]
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        return opening + "\n" + ",\n".join(items) + "\n" + " " * depth + closing

    return dump(extract, 0) + "\n"
