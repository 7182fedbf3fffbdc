"""The request rules as Python: ``teamleader/rules/``, compiled from the extract by fastjsonschema.

Every operation's request schema is closed (:mod:`schema_rules`) and compiled by
fastjsonschema into a plain Python function, one module per resource group. Sub-schemas
that several operations share (custom fields, addresses, …) are compiled once, into
``_shared.py``. The generated code imports nothing but the standard library: fastjsonschema
is needed to generate it, never to run it.

Each refusal raises ``SchemaViolation`` carrying the path, the rule broken and a small
summary of the rule (the declared keys, the allowed values); ``teamleader.validation``
turns that into the message a person reads. For ``oneOf``/``anyOf`` the whole alternative
is kept, so the message can say which choice came closest.
"""

from __future__ import annotations

import ast
import collections
import json
import re
from typing import Any

from schema_rules import closed

__all__ = ["render_rules"]

FJS_PREFIX = "validate___definitions_"
SHARED_MIN_SIZE = 150  # smaller repeated sub-schemas are cheaper inline than as a call
SUMMARY_KEYS = ("type", "enum", "required")

VIOLATION = '''

class SchemaViolation(ValueError):
    """A request that breaks its operation's rule (raised by the generated validators)."""

    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)
        self.message, self.value, self.name, self.definition, self.rule = message, value, name, definition, rule


JsonSchemaValueException = SchemaViolation
JsonSchemaValuesException = SchemaViolation
NoneType = type(None)
'''


def function_name(endpoint: str) -> str:
    """``projects-v2/projectGroups.create`` -> ``projects_v2_project_groups_create``."""
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", endpoint).lower())


module_name = function_name


class _Factoring:
    """Repeated sub-schemas become ``definitions``, each compiled to one shared function."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        counts: collections.Counter[str] = collections.Counter()
        for schema in schemas.values():
            self._count(schema, counts, top=True)
        self.repeated = {key for key, n in counts.items() if n > 1}
        self.names: dict[str, str] = {}
        self.definitions: dict[str, Any] = {}
        self.plain: dict[str, Any] = {}  # name -> the schema without $refs (for messages)

    def _count(self, schema: Any, counts: collections.Counter[str], top: bool = False) -> None:
        if not isinstance(schema, dict):
            return
        key = json.dumps(schema, sort_keys=True)
        if not top and len(key) >= SHARED_MIN_SIZE:
            counts[key] += 1
        for sub in _children(schema):
            self._count(sub, counts)

    def factor(self, schema: Any, top: bool = False) -> Any:
        if not isinstance(schema, dict):
            return schema
        key = json.dumps(schema, sort_keys=True)
        if not top and key in self.repeated:
            if key not in self.names:
                name = self.names[key] = f"shared_{len(self.names)}"
                self.plain[name] = schema
                self.definitions[name] = self.factor(schema, top=True)
            return {"$ref": f"#/definitions/{self.names[key]}"}
        out = dict(schema)
        if "properties" in out:
            out["properties"] = {k: self.factor(v) for k, v in out["properties"].items()}
        for key_ in ("items", "not"):
            if key_ in out:
                out[key_] = self.factor(out[key_])
        for key_ in ("oneOf", "anyOf", "allOf"):
            if key_ in out:
                out[key_] = [self.factor(v) for v in out[key_]]
        return out

    def unfactor(self, schema: Any) -> Any:
        if isinstance(schema, list):
            return [self.unfactor(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        if "$ref" in schema:
            return self.plain[schema["$ref"].rsplit("/", 1)[1]]
        return {k: self.unfactor(v) if k != "enum" else v for k, v in schema.items()}


def _children(schema: dict[str, Any]) -> list[Any]:
    subs = list(schema.get("properties", {}).values())
    subs += [schema[key] for key in ("items", "not") if key in schema]
    return subs + [s for key in ("oneOf", "anyOf", "allOf") for s in schema.get(key, [])]


def _summary(definition: dict[str, Any], rule: str, factoring: _Factoring) -> dict[str, Any]:
    """What a message needs of a rule: all of an alternative, the shallow facts otherwise."""
    if rule in ("oneOf", "anyOf"):
        return factoring.unfactor(definition)
    out = {key: definition[key] for key in SUMMARY_KEYS if key in definition}
    if "properties" in definition:
        out["properties"] = list(definition["properties"])
    return out


def _compile(root: dict[str, Any]) -> ast.Module:
    import fastjsonschema  # needed to generate the rules, never to run them

    code = fastjsonschema.compile_to_code(root, use_default=False, use_formats=False)
    return ast.parse(code)


def render_rules(operations: list[dict[str, Any]], version: str, header: str) -> dict[str, str]:
    """Module name -> source of ``teamleader/rules/``: ``__init__``, ``_shared`` and one per group."""
    schemas = {op["path"].lstrip("/"): closed(op["request"]["schema"]) for op in operations if op["request"]}
    factoring = _Factoring(schemas)
    by_function = {function_name(endpoint): endpoint for endpoint in schemas}
    if len(by_function) != len(schemas):
        raise SystemExit("two operations map to one validator name")
    root_definitions = {
        name: factoring.factor(schemas[endpoint], top=True) for name, endpoint in by_function.items()
    }
    root = {"definitions": {**root_definitions, **factoring.definitions}, "type": "object"}
    for name in root["definitions"]:
        root.setdefault("anyOf", []).append({"$ref": f"#/definitions/{name}"})
    tree = _compile(root)

    summaries: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    # fastjsonschema lower-cases definition names; map them back to ours.
    ours = {FJS_PREFIX + name.lower(): name for name in root["definitions"]}

    def summarise(node: ast.Call) -> None:
        keywords = {k.arg: k for k in node.keywords}
        definition = ast.literal_eval(keywords["definition"].value)
        summary = _summary(definition, ast.literal_eval(keywords["rule"].value), factoring)
        key = json.dumps(summary, sort_keys=True)
        if key not in index:
            index[key] = len(summaries)
            summaries.append(summary)
        keywords["definition"].value = ast.Subscript(
            value=ast.Name("RULES", ast.Load()), slice=ast.Constant(index[key]), ctx=ast.Load()
        )

    functions: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith(FJS_PREFIX):
            for child in ast.walk(node):
                if (
                    isinstance(child, ast.Call)
                    and getattr(child.func, "id", "") == "JsonSchemaValueException"
                ):
                    summarise(child)
                elif isinstance(child, ast.Name) and child.id in ours:
                    child.id = ours[child.id]
            functions[node.name] = node
            node.name = ours[node.name]

    modules: dict[str, list[str]] = collections.defaultdict(list)
    for name, endpoint in sorted(by_function.items()):
        modules[module_name(endpoint.rsplit(".", 1)[0])].append(name)
    files = {}
    shared = [functions[FJS_PREFIX + name.lower()] for name in factoring.definitions]
    files["_shared"] = (
        f'{header}\n"""Validators of sub-schemas several operations share, and what they raise."""\n'
        "# ruff: noqa\n"
        "from decimal import Decimal\n"
        f"{VIOLATION}\n"
        f"RULES = {summaries!r}\n\n" + "\n\n".join(ast.unparse(fn) for fn in shared) + "\n"
    )
    for module, names in modules.items():
        body = [functions[FJS_PREFIX + name.lower()] for name in names]
        used = sorted(
            {n.id for fn in body for n in ast.walk(fn) if isinstance(n, ast.Name)}
            & set(factoring.definitions)
        )
        imports = ", ".join(
            ["NoneType", "RULES", "JsonSchemaValueException", "JsonSchemaValuesException", *used]
        )
        files[module] = (
            f'{header}\n"""Request validators of the ``{by_function[names[0]].rsplit(".", 1)[0]}.*`` operations."""\n'
            "# ruff: noqa\n"
            "from decimal import Decimal\n\n"
            f"from ._shared import {imports}\n\n\n" + "\n\n".join(ast.unparse(fn) for fn in body) + "\n"
        )
    table = {
        endpoint: f"{module_name(endpoint.rsplit('.', 1)[0])}.{name}"
        for name, endpoint in sorted(by_function.items(), key=lambda kv: kv[1])
    }
    no_body = sorted(op["path"].lstrip("/") for op in operations if not op["request"])
    files["__init__"] = (
        f'{header}\n"""Request rules of Teamleader\'s OpenAPI {version}, compiled from the extract."""\n\n'
        f"SPEC_VERSION = {version!r}\n\n"
        "#: operation -> ``module.function`` of its validator.\n"
        f"VALIDATORS = {table!r}\n\n"
        "#: Operations that take no request body.\n"
        f"NO_BODY = frozenset({no_body!r})\n"
    )
    return files
