#!/usr/bin/env python
"""Generate ``teamleader/endpoints/`` and ``teamleader/namespaces.py`` from Teamleader's OpenAPI.

Two steps: the spec becomes a compact, prose-free table (``tools/operations.json``),
and the table becomes code. Only the table and the code are committed; the spec's
prose never enters the package.

    python tools/generate_endpoints.py SPEC_PATH   # spec -> table -> code (a new spec)
    python tools/generate_endpoints.py             # table -> code
    python tools/generate_endpoints.py --check     # exit 1, naming the files, if code is stale
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tools" / "operations.json"
PACKAGE = ROOT / "teamleader"
ENDPOINTS = PACKAGE / "endpoints"
LINE_LENGTH = 110  # pyproject.toml [tool.ruff]; lines are kept short enough that `ruff format` is a no-op

#: Groups with a typed model (``teamleader.models``) and a hand-written subclass in
#: ``teamleader.resources`` (friendly methods such as ``get``): group -> (model, resource).
TYPED = {
    "companies": ("Company", "Companies"),
    "contacts": ("Contact", "Contacts"),
    "deals": ("Deal", "Deals"),
    "departments": ("Department", "Departments"),
    "events": ("Event", "Events"),
    "invoices": ("Invoice", "Invoices"),
    "products": ("Product", "Products"),
    "projects-v2/projects": ("Project", "ProjectsV2Projects"),
    "quotations": ("Quotation", "Quotations"),
    "tasks": ("Task", "Tasks"),
    "users": ("User", "Users"),
}
MODELS = {group: model for group, (model, _) in TYPED.items()}
RESOURCES = {group: resource for group, (_, resource) in TYPED.items()}
#: Actions answered with one record of the group's model, besides ``info``.
ONE_RECORD = {"users.me"}
#: Parameter names the generated methods need for themselves.
RESERVED = {"self", "page_size"}
#: Schema keywords that are prose, not types: left out of the table.
PROSE = {"description", "example", "examples", "title", "externalDocs", "x-displayName"}
MAX_LITERAL_VALUES = 12


# -- naming ------------------------------------------------------------------------------------------


def snake(name: str) -> str:
    """camelCase -> snake_case, ``-`` -> ``_``, a keyword gets ``_`` (``import`` -> ``import_``)."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()
    return name + "_" if keyword.iskeyword(name) else name


def camel(group: str) -> str:
    """``projects-v2/projectGroups`` -> ``ProjectsV2ProjectGroups``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-/_]", group))


def python_names(path: str) -> tuple[list[str], str]:
    """``/projects-v2/projectGroups.create`` -> (``["projects_v2", "project_groups"]``, ``"create"``)."""
    group, action = path.lstrip("/").rsplit(".", 1)
    return [snake(part) for part in group.split("/")], snake(action)


def iterate_name(action: str) -> str | None:
    """``list`` -> ``iterate``; ``listDaysOff`` -> ``iterate_days_off``; other actions -> ``None``."""
    if action == "list" or re.fullmatch(r"list[A-Z]\w*", action):
        return "iterate" + snake(action)[4:]
    return None


def parameter_name(key: str) -> str:
    name = re.sub(r"\W|^(?=\d)", "_", key)
    return name + "_" if keyword.iskeyword(name) or name in RESERVED else name


# -- spec -> table -----------------------------------------------------------------------------------


def strip_schema(schema: Any) -> Any:
    """A schema without prose; ``allOf`` parts that said nothing else are dropped."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in PROSE or key.startswith("x-"):
            continue
        if key == "properties":
            value = {name: strip_schema(sub) for name, sub in value.items()}
        elif key in ("allOf", "oneOf", "anyOf"):
            value = [strip_schema(sub) for sub in value]
            value = [sub for sub in value if sub] if key == "allOf" else value
            if not value:
                continue
        elif key in ("items", "additionalProperties", "not"):
            value = strip_schema(value)
        out[key] = value
    if list(out) == ["allOf"] and len(out["allOf"]) == 1:
        return out["allOf"][0]
    return out


def request_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = (operation.get("requestBody") or {}).get("content") or {}
    media = next((m for t, m in sorted(content.items()) if t.startswith("application/json")), None)
    return strip_schema(media["schema"]) if media and "schema" in media else None


def build_table(spec: dict[str, Any]) -> dict[str, Any]:
    operations = []
    for path in sorted(spec["paths"]):
        schema = request_schema(spec["paths"][path]["post"])
        fields = collect_fields(schema)
        namespace, method = python_names(path)
        group, action = path.lstrip("/").rsplit(".", 1)
        operations.append(
            {
                "path": path,
                "group": group,
                "action": action,
                "namespace": namespace,
                "method": method,
                "iterate": iterate_name(action),
                "paginated": "page" in fields,
                "required": [key for key, (_, required) in fields.items() if required],
                "schema": schema,
            }
        )
    return {"spec_version": spec["info"]["version"], "operations": operations}


# -- schemas -> Python -----------------------------------------------------------------------------------


def collect_fields(schema: dict[str, Any] | None, *, branch: bool = False) -> dict[str, tuple[Any, bool]]:
    """Top-level body fields: key -> (schema, required). Fields of a ``oneOf`` branch are optional."""
    fields: dict[str, tuple[Any, bool]] = {}
    if not schema:
        return fields
    required = set() if branch else set(schema.get("required", []))
    for key, sub in schema.get("properties", {}).items():
        fields.setdefault(key, (sub, False))
    for part in schema.get("allOf", []):
        for key, (sub, part_required) in collect_fields(part, branch=branch).items():
            fields.setdefault(key, (sub, False))
            if part_required:
                required.add(key)
    for part in schema.get("oneOf", []) + schema.get("anyOf", []):
        for key, (sub, _) in collect_fields(part, branch=True).items():
            fields.setdefault(key, (sub, False))
    return {key: (sub, key in required) for key, (sub, _) in fields.items()}


def alternatives(schema: dict[str, Any] | None) -> list[list[str]]:
    """The ``required`` lists of a top-level ``oneOf``/``anyOf``: sets of fields, one of which is due."""
    if not schema:
        return []
    found = [alternatives(part) for part in schema.get("allOf", [])]
    branches = schema.get("oneOf", []) + schema.get("anyOf", [])
    sets = [merged(branch).get("required", []) for branch in branches]
    return [alt for alts in found for alt in alts] + ([s for s in sets if s] if all(sets) else [])


def merged(schema: dict[str, Any]) -> dict[str, Any]:
    """``allOf`` folded into one schema (the first ``type`` wins, later parts add to it)."""
    out = {key: value for key, value in schema.items() if key != "allOf"}
    for part in schema.get("allOf", []):
        for key, value in merged(part).items():
            out.setdefault(key, value)
    return out


def annotation(schema: dict[str, Any], *, literal: bool = True) -> str:
    """The Python type of a value of ``schema``: ``str``, ``list[dict[str, Any]]``, ``Literal[…]``, …"""
    schema = merged(schema or {})
    enum, kind = schema.get("enum"), schema.get("type")
    branches = schema.get("oneOf") or schema.get("anyOf")
    if literal and enum and len(enum) <= MAX_LITERAL_VALUES and all(isinstance(v, str) for v in enum):
        text = "Literal[" + ", ".join(json.dumps(v) for v in enum) + "]"
    elif branches:
        options = dict.fromkeys(annotation(branch, literal=False) for branch in branches)
        text = "Any" if "Any" in options else " | ".join(options)
    elif kind == "array":
        text = f"list[{annotation(schema.get('items') or {}, literal=False)}]"
    elif kind == "object" or (kind is None and "properties" in schema):
        text = "dict[str, Any]"
    else:
        text = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(
            kind or "", "Any"
        )
    return text + " | None" if schema.get("nullable") and text != "Any" else text


@dataclass
class Param:
    name: str
    key: str
    schema: dict[str, Any]
    required: bool
    literal: bool = True

    @property
    def type(self) -> str:
        return annotation(self.schema, literal=self.literal)

    @property
    def positional(self) -> bool:
        return self.name == "id" and self.required

    def signature(self) -> str:
        default = "" if self.required else " | NotGiven = NOT_GIVEN"
        return f"{self.name}: {self.type}{default}"

    def doc(self) -> str:
        key = f' (JSON "{self.key}")' if self.key != self.name else ""
        return f"{self.name}{key}: {self.type}" + (" (required)" if self.required else "")


def params_of(operation: dict[str, Any], *, skip: tuple[str, ...] = ()) -> list[Param]:
    """The method's parameters: ``id`` first when required, then required, then optional fields."""
    params = [
        Param(parameter_name(key), key, sub, key in operation["required"])
        for key, (sub, _) in collect_fields(operation["schema"]).items()
        if key not in skip
    ]
    if len({p.name for p in params}) != len(params):
        raise SystemExit(f"{operation['path']}: two body fields map to one Python name")
    for param in params:  # a Literal too long for one line reads worse than `str`
        if max(len(param.signature()), len(param.doc())) + 13 > LINE_LENGTH:
            param.literal = False
    return sorted(params, key=lambda p: (not p.positional, not p.required))


# -- table -> code ------------------------------------------------------------------------------------------


def fit(head: str, items: list[str], tail: str, indent: str) -> list[str]:
    """``head(items)tail`` on one line when it fits, else one item per line, as ``ruff format`` keeps it."""
    line = f"{indent}{head}{', '.join(items)}{tail}"
    if len(line) <= LINE_LENGTH:
        return [line]
    return [f"{indent}{head}", *(f"{indent}    {item}," for item in items), f"{indent}{tail}"]


def import_lines(module: str, names: list[str]) -> list[str]:
    line = f"from {module} import {', '.join(names)}"
    return [line] if len(line) <= LINE_LENGTH else fit(f"from {module} import (", names, ")", "")


def isort_key(name: str) -> tuple[int, str]:
    """The order ``ruff``'s isort gives imported names: CONSTANTS, Classes, functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def signature_lines(name: str, params: list[Param], returns: str, paged: bool) -> list[str]:
    """``def name(self, id, *, required, optional=NOT_GIVEN) -> returns:``."""
    keyword_only = [p.signature() for p in params if not p.positional]
    keyword_only += ["page_size: int = 100"] if paged else []
    signature = ["self"] + [p.signature() for p in params if p.positional]
    signature += ["*", *keyword_only] if keyword_only else []
    return fit(f"def {name}(", signature, f") -> {returns}:", " " * 4)


def docstring_lines(op: dict[str, Any], params: list[Param], paged: bool) -> list[str]:
    """The endpoint, then each parameter with its type; no prose from the spec."""
    title = f"POST {op['path']}" + (", page after page" if paged else "")
    docs = [p.doc() for p in params] + (["page_size: int"] if paged else [])
    if not docs:
        return [f'        """{title}"""']
    lines = [f'        """{title}', "", "        Parameters:", *(" " * 12 + d for d in docs)]
    names = {p.key: p.name for p in params}
    choices = [", ".join(names[key] for key in alt) for alt in alternatives(op["schema"])]
    if choices:
        lines += ["", "        One of these sets is required:", *(" " * 12 + c for c in choices)]
    return [*lines, '        """']


def call_lines(op: dict[str, Any], kind: str, params: list[Param], record: str, paged: bool) -> list[str]:
    """``return self._send("group.action", body_of({...}))``, with the body first when that is too long."""
    helper = "_" + kind
    extra = [] if kind == "send" else [record]
    extra += ["page_size=page_size" if paged else "paginated=False"] if kind == "iterate" else []
    entries = [f'"{p.key}": {p.name}' for p in params]
    body = ("body_of({})" if any(not p.required for p in params) else "{}").format
    endpoint = json.dumps(op["path"].lstrip("/"))
    inline = body("{" + ", ".join(entries) + "}")
    call = fit(f"return self.{helper}(", [endpoint, inline, *extra], ")", " " * 8)
    if len(call) == 1:
        return call
    local = "request_body" if any(p.name == "body" for p in params) else "body"
    lines = fit(f"{local} = {{", entries, "}", " " * 8)
    return lines + fit(f"return self.{helper}(", [endpoint, body(local), *extra], ")", " " * 8)


class GroupWriter:
    """One module: the ``<Group>Endpoints`` class, a method per operation of the group."""

    def __init__(self, group: str, operations: list[dict[str, Any]], version: str) -> None:
        self.group, self.operations, self.version = group, operations, version
        self.model = MODELS.get(group, "Model")
        self.names: set[str] = {self.model}  # what the module must import

    @staticmethod
    def kind(op: dict[str, Any]) -> str:
        """``list`` -> a Page; ``info``-like -> one record; anything else -> ``Model | None``."""
        if op["iterate"]:
            return "list"
        return "one" if op["action"] == "info" or op["path"].lstrip("/") in ONE_RECORD else "send"

    def method(self, op: dict[str, Any], kind: str) -> list[str]:
        iterate = kind == "iterate"
        params = params_of(op, skip=("page",) if iterate else ())
        paged = iterate and op["paginated"]
        record = self.model if kind == "one" or op["action"] == "list" else "Model"
        returns = {"one": record, "list": f"Page[{record}]", "iterate": f"Iterator[{record}]"}
        types = " ".join(p.type for p in params)
        self.names |= {record, {"list": "Page", "iterate": "Iterator", "send": "Model"}.get(kind, record)}
        self.names |= {name for name in ("Any", "Literal") if name in types}
        self.names |= {"NOT_GIVEN", "NotGiven", "body_of"} if any(not p.required for p in params) else set()
        name = op["iterate"] if iterate else op["method"]
        return (
            signature_lines(name, params, returns.get(kind, "Model | None"), paged)
            + docstring_lines(op, params, paged)
            + call_lines(op, kind, params, record, paged)
        )

    def render(self) -> str:
        methods: list[list[str]] = []
        # `list` goes last: annotations after it in the class body would mean the method, not the builtin.
        last: list[list[str]] = []
        for op in self.operations:
            chunk = ([self.method(op, "iterate")] if op["iterate"] else []) + [self.method(op, self.kind(op))]
            (last if op["method"] == "list" else methods).extend(chunk)
        cls = camel(self.group) + "Endpoints"
        dots = "..." if "/" in self.group else ".."
        typing_names = sorted(self.names & {"Any", "Iterator", "Literal"})
        models = sorted(self.names & (set(MODELS.values()) | {"Model", "Page"}))
        resource = sorted(self.names & {"NOT_GIVEN", "NotGiven", "body_of"} | {"Resource"}, key=isort_key)
        lines = [header(self.version), f'"""The ``{self.group}.*`` endpoints."""', ""]
        lines += ["from __future__ import annotations", ""]
        lines += [f"from typing import {', '.join(typing_names)}", ""] if typing_names else []
        lines += import_lines(f"{dots}models", models) + import_lines(f"{dots}resource", resource) + [""]
        lines += [f'__all__ = ["{cls}"]', "", "", f"class {cls}(Resource):"]
        lines += [f'    group = "{self.group}"', f"    model = {self.model}"]
        lines += [line for chunk in methods + last for line in ["", *chunk]]
        return "\n".join(lines) + "\n"


def header(version: str) -> str:
    return f"# Generated by tools/generate_endpoints.py from Teamleader's OpenAPI {version}; do not edit."


NAMESPACES = '''{header}
"""Every resource group as an attribute of the client (``client.contacts``, …)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

{imports}

__all__ = ["Namespaces"]
{nested}

class Namespaces:
    """The resource groups, each built on first use around :meth:`call`."""

    def call(self, endpoint: str, body: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError
{properties}'''

NESTED = '''

class {cls}:
    """The ``{parent}/…`` groups."""

    def __init__(self, call: Requester) -> None:
        self._call = call
{properties}'''

PROPERTY = """
    @cached_property
    def {attr}(self) -> {cls}:
        return {cls}({call})
"""


def render_namespaces(groups: list[str], version: str) -> str:
    """``class Namespaces``: a cached property per top-level group; nested groups get a small class."""
    nested: dict[str, list[str]] = {}
    imports: dict[str, list[str]] = {".resource": ["Requester"]}
    for group in groups:
        parent, _, child = group.partition("/")
        if child:
            nested.setdefault(parent, []).append(group)
        if group in RESOURCES:
            imports.setdefault(".resources", []).append(RESOURCES[group])
        else:
            module = ".endpoints." + ".".join(snake(part) for part in group.split("/"))
            imports.setdefault(module, []).append(camel(group) + "Endpoints")
    if set(nested) & set(groups):
        raise SystemExit(f"groups both nested and callable: {sorted(set(nested) & set(groups))}")

    def properties(names: list[str], call: str) -> str:
        return "".join(
            PROPERTY.format(
                attr=snake(name.split("/")[-1]),
                cls=camel(name) if name in nested else RESOURCES.get(name) or camel(name) + "Endpoints",
                call=call,
            )
            for name in names
        )

    return NAMESPACES.format(
        header=header(version),
        imports="\n".join(
            line for module, names in sorted(imports.items()) for line in import_lines(module, sorted(names))
        ),
        nested="".join(
            NESTED.format(
                cls=camel(parent), parent=parent, properties=properties(sorted(children), "self._call")
            )
            for parent, children in sorted(nested.items())
        ),
        properties=properties(sorted({group.split("/")[0] for group in groups}), "self.call"),
    )


def render_all(table: dict[str, Any]) -> dict[Path, str]:
    """Every generated file: path -> text."""
    version = table["spec_version"]
    by_group: dict[str, list[dict[str, Any]]] = {}
    for op in table["operations"]:
        by_group.setdefault(op["group"], []).append(op)
    init = f'{header(version)}\n"""One module per group of Teamleader endpoints."""\n'
    files = {ENDPOINTS / "__init__.py": init}
    for group, operations in sorted(by_group.items()):
        *parents, module = [snake(part) for part in group.split("/")]
        if parents:
            doc = f'"""The ``{group.split("/")[0]}/…`` groups."""'
            files[ENDPOINTS.joinpath(*parents, "__init__.py")] = f"{header(version)}\n{doc}\n"
        files[ENDPOINTS.joinpath(*parents, module + ".py")] = GroupWriter(group, operations, version).render()
    files[PACKAGE / "namespaces.py"] = render_namespaces(sorted(by_group), version)
    return files


# -- command line --------------------------------------------------------------------------------------------


def dump_table(table: dict[str, Any]) -> str:
    """The table as JSON: nested where that helps a diff, one line where it fits or holds scalars."""

    def dump(value: Any, depth: int) -> str:
        flat = json.dumps(value)
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

    return dump(table, 0) + "\n"


def stale(files: dict[Path, str]) -> list[Path]:
    """Files that differ from ``files``, are missing, or are generated leftovers to remove."""
    leftovers = set(ENDPOINTS.rglob("*.py")) - set(files) if ENDPOINTS.exists() else set()
    changed = {path for path, text in files.items() if not path.exists() or path.read_text() != text}
    return sorted(changed | leftovers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", nargs="?", type=Path, help="OpenAPI YAML; omit to regenerate from the table")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = parser.parse_args(argv)
    if args.spec:
        import yaml  # only needed to read a spec

        table_text = dump_table(build_table(yaml.safe_load(args.spec.read_text())))
    else:
        table_text = TABLE.read_text()
    files = render_all(json.loads(table_text))
    if args.spec:
        files[TABLE] = table_text
    differing = stale(files)
    if args.check:
        for path in differing:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if differing else 0
    for path in differing:
        if path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[path])
            print(f"wrote {path.relative_to(ROOT)}")
        else:
            path.unlink()
            print(f"removed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
