"""One worker process of the refresh race (run by tests/django/test_refresh_race.py).

Usage: python -m tests.django.race_worker SANDBOX_URL START_AT [TOKEN_BACKEND]

``DATABASE_URL`` names the (test) database. The worker sets up Django, points the
Teamleader settings at the sandbox, waits until the wall clock reaches START_AT so
that all workers start together, makes three API calls through ``get_client()`` and
prints one JSON line: the calls that succeeded and the errors it met.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    url, start_at = sys.argv[1], float(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.conf import settings

    django.setup()
    # Settings are read lazily, so changing them before the first use is enough.
    settings.TEAMLEADER = {**settings.TEAMLEADER, "AUTH_BASE_URL": url, "API_BASE_URL": url}
    if len(sys.argv) > 3:
        settings.TEAMLEADER["TOKEN_BACKEND"] = sys.argv[3]

    from django.db import connection

    from teamleader.django import get_client
    from teamleader.exceptions import TeamleaderError

    connection.ensure_connection()  # connect and build the client before the start line
    get_client()
    ok, errors = 0, []
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(3):
        try:
            get_client().call("users.me")
            ok += 1
        except TeamleaderError as err:
            errors.append(f"{type(err).__name__}: {err}")
    print(json.dumps({"ok": ok, "errors": errors, "pid": os.getpid()}))


if __name__ == "__main__":
    main()
