#!/usr/bin/env python
"""Generate the client's endpoints, request rules and sandbox answers from Teamleader's OpenAPI.

Two steps: the spec becomes a prose-free extract (``tools/operations.json``, committed with the
spec's version), and the extract becomes code and data: ``teamleader/endpoints/`` and
``teamleader/namespaces.py`` (a method per operation), ``teamleader/rules/`` (request
validators, compiled by fastjsonschema) and ``teamleader/testing/answers.json`` (what the
sandbox answers from the spec). Python output is formatted by ``ruff format``.

    python tools/generate_endpoints.py SPEC_PATH   # spec -> extract -> code (a new spec)
    python tools/generate_endpoints.py             # extract -> code
    python tools/generate_endpoints.py --check     # exit 1, naming the files, if anything is stale
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from generate_answers import render_answers  # noqa: E402
from generate_rules import render_rules  # noqa: E402
from render_endpoints import group_module, header, namespaces_module, operations_by_group  # noqa: E402
from spec_extract import build_extract, dump_extract, load_spec  # noqa: E402

TABLE = ROOT / "tools" / "operations.json"
PACKAGE = ROOT / "teamleader"
ENDPOINTS = PACKAGE / "endpoints"
RULES = PACKAGE / "rules"
ANSWERS = PACKAGE / "testing" / "answers.json"
#: Folders whose every ``.py`` file is generated: anything else found there is a leftover.
GENERATED_DIRS = (ENDPOINTS, RULES)


def render_all(table: dict[str, Any]) -> dict[Path, str]:
    """Every generated file: path -> text (Python not yet formatted)."""
    version = table["spec_version"]
    by_group = operations_by_group(table["operations"])
    init = f'{header(version)}\n"""One module per group of Teamleader endpoints."""\n'
    files = {ENDPOINTS / "__init__.py": init}
    for group, operations in by_group.items():
        *parents, module = group_path(group)
        if parents:
            doc = f'"""The ``{group.split("/")[0]}/…`` groups."""'
            files[ENDPOINTS.joinpath(*parents, "__init__.py")] = f"{header(version)}\n{doc}\n"
        files[ENDPOINTS.joinpath(*parents, module + ".py")] = group_module(group, operations, version)
    files[PACKAGE / "namespaces.py"] = namespaces_module(list(by_group), version)
    for module, text in render_rules(table["operations"], version, header(version)).items():
        files[RULES / f"{module}.py"] = text
    files[ANSWERS] = render_answers(table["operations"], version)
    return files


def group_path(group: str) -> list[str]:
    from render_endpoints import snake

    return [snake(part) for part in group.split("/")]


def ruff_format(files: dict[Path, str]) -> dict[Path, str]:
    """The Python files as ``ruff format`` (with the project's settings) writes them."""
    python = {path: text for path, text in files.items() if path.suffix == ".py"}
    with tempfile.TemporaryDirectory() as tmp:
        copies = {path: Path(tmp) / path.relative_to(ROOT) for path in python}
        for path, copy in copies.items():
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(python[path])
        command = [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--quiet",
            "--config",
            str(ROOT / "pyproject.toml"),
        ]
        subprocess.run([*command, tmp], check=True)  # noqa: S603 (our own interpreter and files)
        return {**files, **{path: copy.read_text() for path, copy in copies.items()}}


def stale(files: dict[Path, str]) -> list[Path]:
    """Files that differ from ``files``, are missing, or are generated leftovers to remove."""
    leftovers = {p for folder in GENERATED_DIRS if folder.exists() for p in folder.rglob("*.py")} - set(files)
    changed = {path for path, text in files.items() if not path.exists() or path.read_text() != text}
    return sorted(changed | leftovers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "spec", nargs="?", type=Path, help="OpenAPI YAML; omit to regenerate from the extract"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = parser.parse_args(argv)
    if args.spec:
        table_text = dump_extract(build_extract(load_spec(args.spec)))
    else:
        table_text = TABLE.read_text()
    files = ruff_format(render_all(json.loads(table_text)))
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
