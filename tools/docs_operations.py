"""Write the reference pages of the generated operations while MkDocs builds the site.

Run by the ``gen-files`` plugin (mkdocs.yml): one page per resource group, rendered by
mkdocstrings from the generated classes in ``teamleader/endpoints/``, and an index that
lists every operation with the method that calls it. Nothing here is committed, so the
pages always match the code.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator

import mkdocs_gen_files

import teamleader.endpoints
from teamleader.resource import Resource

OUT = "reference/operations"


def endpoint_classes() -> Iterator[tuple[str, type[Resource]]]:
    """``(module name, class)`` of every generated resource group, in module order."""
    for info in pkgutil.walk_packages(teamleader.endpoints.__path__, "teamleader.endpoints."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            cls = getattr(module, name)
            if inspect.isclass(cls) and issubclass(cls, Resource):
                yield info.name, cls


def attribute_path(group: str) -> str:
    """``client.projects_v2.project_groups`` for the group ``projects-v2/projectGroups``."""
    parts = []
    for part in group.replace("-", "_").split("/"):
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in part)
        parts.append(snake)
    return ".".join(["client", *parts])


def operations(cls: type[Resource]) -> Iterator[tuple[str, str]]:
    """``(endpoint, method name)`` of each operation: the methods whose docstring names one."""
    for name, member in cls.__dict__.items():
        doc = (inspect.getdoc(member) or "") if callable(member) else ""
        first = doc.splitlines()[0] if doc else ""
        if not name.startswith("_") and first.startswith("POST /"):
            yield first.removeprefix("POST /"), name


index = [
    "# Operations",
    "",
    "Every operation of Teamleader's OpenAPI description, with the method that calls it; "
    "each group's page shows the methods' parameters. Every list operation also has an "
    "`iterate()` that takes the same parameters and reads every page, and every group with "
    "an `info` operation has `get(id)` (see [Using the API](../../client/usage.md)).",
    "",
    "| Endpoint | Method |",
    "|---|---|",
]
for module, cls in endpoint_classes():
    slug = module.removeprefix("teamleader.endpoints.").replace(".", "-")
    path = attribute_path(cls.group)
    with mkdocs_gen_files.open(f"{OUT}/{slug}.md", "w") as page:
        page.write(f"# `{path}`\n\n")
        page.write(f"The `{cls.group}.*` endpoints.\n\n")
        page.write(f"::: {module}.{cls.__name__}\n    options:\n      inherited_members: true\n")
    for endpoint, method in operations(cls):
        index.append(f"| `{endpoint}` | [`{path}.{method}()`]({slug}.md#{module}.{cls.__name__}.{method}) |")

with mkdocs_gen_files.open(f"{OUT}/index.md", "w") as page:
    page.write("\n".join(index) + "\n")
