#!/usr/bin/env python
"""Print how many operations of Teamleader's OpenAPI description the client can call.

    python tools/endpoint_coverage.py [SPEC_PATH]

Without SPEC_PATH the operations come from the committed extract, ``tools/operations.json``.

Each operation is resolved on a client instance by the naming rule
(``/projects-v2/projectGroups.create`` -> ``client.projects_v2.project_groups.create``);
no request is sent. Exits 1 and lists the missing ones if any is not callable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "tools" / "operations.json"
HTTP = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

from render_endpoints import python_names  # noqa: E402
from spec_extract import load_spec  # noqa: E402

from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient, Token  # noqa: E402


def offline_client() -> TeamleaderClient:
    token = Token(
        access_token="coverage-" + "a" * 32,
        refresh_token="coverage-" + "r" * 32,
        expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1),
    )
    oauth = OAuth2Handler("coverage", "coverage", "http://localhost/callback", MemoryTokenBackend(token))
    return TeamleaderClient(oauth)


def resolve(client: Any, path: str) -> Any:
    """The bound method for ``path``, or ``None``."""
    namespace, method = python_names(path)
    target = client
    for name in [*namespace, method]:
        target = getattr(target, name, None)
        if target is None:
            return None
    if not callable(target):
        return None
    inspect.signature(target)  # a real method with a signature, as an IDE sees it
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", nargs="?", type=Path, help="OpenAPI YAML; omit to use the extract")
    args = parser.parse_args(argv)
    if args.spec:
        spec = load_spec(args.spec)
        operations = sorted(
            (path, verb) for path, item in spec["paths"].items() for verb in item if verb in HTTP
        )
    else:
        operations = [(op["path"], "post") for op in json.loads(EXTRACT.read_text())["operations"]]
    with offline_client() as client:
        # The API is RPC over POST; an operation under any other verb has no method.
        missing = [(p, v) for p, v in operations if v != "post" or resolve(client, p) is None]
    print(f"operations callable: {len(operations) - len(missing)}/{len(operations)}")
    for path, verb in missing:
        print(f"missing: {verb.upper()} {path}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
