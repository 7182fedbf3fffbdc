#!/usr/bin/env python
"""Check that the built documentation site documents every operation.

    python tools/check_docs_reference.py [SITE_DIR]

Reads the site's ``objects.inv`` (written by mkdocstrings; ``mkdocs build`` first) and
looks up, for each operation in ``tools/operations.json``, the method that calls it.
Prints the count; exits 1 and lists what is missing if any is not in the reference.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from endpoint_coverage import EXTRACT, ROOT, offline_client, resolve  # noqa: I001 (tools/ is on sys.path)
from mkdocstrings import Inventory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)
    with open(args.site / "objects.inv", "rb") as file:
        documented = set(Inventory.parse_sphinx(file))
    operations = [op["path"] for op in json.loads(EXTRACT.read_text())["operations"]]
    missing = []
    with offline_client() as client:
        for path in operations:
            method = resolve(client, path)
            function = getattr(method, "__func__", method)
            if function is None or f"{function.__module__}.{function.__qualname__}" not in documented:
                missing.append(path)
    print(f"operations in the API reference: {len(operations) - len(missing)}/{len(operations)}")
    for path in missing:
        print(f"not documented: {path}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
