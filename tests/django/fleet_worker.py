"""One process of the fleet test (tests/django/test_fleet.py): calls Teamleader through get_client().

Usage: python -m tests.django.fleet_worker CALLS

``DATABASE_URL``, ``TEAMLEADER_TEST_OVERRIDES`` (the stand-in's URLs and ``RATE_LIMIT``) and
``TEAMLEADER_TEST_CACHE_URL`` (the shared cache) configure it (see tests/settings.py). It
builds its client, prints ``ready``, waits for a line on stdin, makes CALLS calls and
prints one JSON line: the calls that succeeded, the errors, and when it started and ended.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    calls = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection

    from teamleader.django import get_client
    from teamleader.exceptions import TeamleaderError

    connection.ensure_connection()
    get_client().budget_key()  # connect and read the account before the start line
    print("ready", flush=True)
    sys.stdin.readline()
    ok, errors = 0, []
    started = time.time()
    for _ in range(calls):
        try:
            get_client().call("users.me")
            ok += 1
        except TeamleaderError as err:
            errors.append(f"{type(err).__name__}: {err}")
    print(json.dumps({"ok": ok, "errors": errors, "started": started, "ended": time.time()}))


if __name__ == "__main__":
    main()
